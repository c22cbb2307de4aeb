package dev.eff.interpreter.bundle;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.LayerPattern;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.TrainJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operative configuration of one model instance, in gin's sense: every value it was built and trained with, as the
 * checker bound it (defaults written out), so a bundle records what a script left implicit. Plain strings, numbers and
 * lists, ready for JSON.
 */
public final class Configuration {
    private Configuration() {}

    /** The script's constants, the data, the model's layers with all their arguments, and every train statement of it. */
    public static Map<String, Object> of(CheckedProgram program, ModelGraph model, DataBinding data) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (program != null) {
            Map<String, String> constants = new TreeMap<>();
            program.constants().forEach((k, v) -> constants.put(k, v.render()));
            out.put("constants", constants);
        }
        out.put("data", Map.of("name", data.name(), "source", data.spec().signature().name() + "(" + data.args().render() + ")"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", model.instance());
        List<Map<String, String>> inputs = new ArrayList<>();
        model.inputs().forEach(in -> inputs.add(Map.of("name", in.name(), "shape", in.shape().describe())));
        m.put("inputs", inputs);
        List<Map<String, String>> layers = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n instanceof Node.Apply a) {
                layers.add(Map.of("path", a.path(), "call", a.spec().signature().title() + "(" + a.args().render() + ")",
                        "output", a.outputShape().describe()));
            } else if (n instanceof Node.Residual r) {
                layers.add(Map.of("path", r.path(), "call", "residual add", "output", r.outputShape().describe()));
            }
        }
        m.put("layers", layers);
        out.put("model", m);
        List<Map<String, Object>> train = new ArrayList<>();
        if (program != null) {
            for (Job j : program.jobs()) {
                if (j instanceof TrainJob t && t.model().instance().equals(model.instance())) train.add(train(t));
            }
        }
        out.put("train", train);
        return out;
    }

    private static Map<String, Object> train(TrainJob t) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("statement", t.span().location());
        s.put("data", t.data().name() + "." + t.split());
        s.put("optimizer", t.optimizer().render());
        s.put("batch", t.batch());
        if (t.epochs() > 0) s.put("epochs", t.epochs());
        else s.put("steps", t.steps());
        s.put("loss", t.loss().render());
        s.put("seed", t.seed());
        if (t.checkpoint() != null && !t.checkpoint().isEmpty()) s.put("checkpoint", t.checkpoint());
        s.put("freeze", t.freeze().stream().map(LayerPattern::text).toList());
        return s;
    }
}
