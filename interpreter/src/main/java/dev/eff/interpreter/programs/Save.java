package dev.eff.interpreter.programs;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.interpreter.bundle.Bundle;
import dev.eff.interpreter.bundle.Configuration;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.run.JobReport;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code save MODEL { to = "model.effb" }}: writes the model as the statements before it left it to a {@link Bundle}
 * (inference graph and weights, data schema, the script, its operative configuration, the metrics of the statements
 * that evaluated it, the seed), atomically, for {@code eff predict BUNDLE} and {@code Bundle.read} without the script.
 */
@AutoService(Component.class)
public final class Save implements Program {

    private static final Signature SIGNATURE = new Signature(Kind.PROGRAM, "save", null,
            "Writes the model, as the statements before left it, to a bundle: its inference graph and weights, the data "
                    + "schema, the script, every setting it was built and trained with, metrics and seed; loadable without the script.",
            List.of(Param.required("to", new Type.Str(), "the bundle to write, ending in .effb (relative to the script's folder)")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public DataUse data() { return DataUse.OPTIONAL; }

    @Override public List<String> outputSettings() { return List.of("to"); }

    @Override
    public void check(Args settings, ModelGraph model, DataBinding data) throws Problem {
        if (!settings.str("to").toLowerCase(Locale.ROOT).endsWith(Bundle.EXTENSION)) {
            throw new Problem("to", "a bundle's name ends in " + Bundle.EXTENSION + ", not \"" + settings.str("to") + "\"",
                    "e.g. to = \"runs/" + model.name() + Bundle.EXTENSION + "\"");
        }
    }

    @Override
    public String refuseToReplace(Path file) {
        return Bundle.looksLikeBundle(file) ? null : "it is not an Eff bundle";
    }

    @Override
    public JobReport run(ProgramJob job, Session session) throws DataException, IOException {
        long start = System.nanoTime();
        CompiledModel model = session.inference(job);
        DataSchema schema = job.data().schema();
        Dataset data = session.data(job);
        List<String> known = data.classNames() == null ? List.of() : data.classNames();
        List<String> classes = new ArrayList<>();
        if (!known.isEmpty()) for (int c = 0; c < schema.classes(); c++) classes.add(c < known.size() ? known.get(c) : Integer.toString(c));
        List<Long> vocabs = schema.inputs().stream().map(DataSchema.Field::vocab).toList();
        String script = session.script() != null && Files.isRegularFile(session.script()) ? Files.readString(session.script()) : "";
        Bundle bundle = Bundle.of(model, job.data().name(), vocabs, classes, schema.classes(), script,
                Configuration.of(session.program(), job.model(), job.data()), metrics(job, session.reports()),
                session.seed(job), hooks(job, session.program()),
                session.calibration(job) == null ? null : session.calibration(job).calibration());
        Path target = session.baseDir().resolve(job.settings().str("to"));
        bundle.write(target);
        double secs = (System.nanoTime() - start) / 1e9;
        session.note("model " + job.model().instance() + " saved to " + target);
        return new JobReport("save", job.span().location(), job.model().instance(), job.model().cost().params(), job.data().name(),
                job.split(), null, null, null, null, null, session.seed(job), null, null, null, 0, 0, secs, null, null, null, null);
    }

    /** The latest value of every metric measured on this model instance ({@code data.split/metric}) and its last training loss. */
    private static Map<String, Double> metrics(ProgramJob job, List<JobReport> reports) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (JobReport r : reports) {
            if (!job.model().instance().equals(r.model())) continue;
            if (r.finalLoss() != null) out.put(r.data() + "." + r.split() + "/loss", r.finalLoss());
            if (r.metrics() != null) r.metrics().forEach((k, v) -> out.put(r.data() + "." + r.split() + "/" + k, v));
        }
        return out;
    }

    /**
     * The sources of the hooks the script's statements on this model used (losses, metrics, callbacks), kept in the
     * bundle as text: what trained and measured the model travels with it, and reading a bundle never runs them.
     */
    static List<Bundle.Hook> hooks(ProgramJob job, dev.eff.dsl.check.CheckedProgram program) {
        Map<String, Bundle.Hook> out = new LinkedHashMap<>();
        if (program == null) return List.of();
        for (dev.eff.dsl.check.Job j : program.jobs()) {
            if (!j.model().instance().equals(job.model().instance())) continue;
            List<dev.eff.dsl.check.Value> used = new ArrayList<>();
            if (j instanceof dev.eff.dsl.check.TrainJob t) {
                used.add(t.loss());
                used.addAll(t.callbacks());
            } else if (j instanceof dev.eff.dsl.check.EvalJob e) {
                used.addAll(e.metrics());
            }
            for (dev.eff.dsl.check.Value v : used) collect(v, out);
        }
        return List.copyOf(out.values());
    }

    private static void collect(dev.eff.dsl.check.Value v, Map<String, Bundle.Hook> out) {
        if (v instanceof dev.eff.dsl.check.Value.Formula f) {
            collect(f.left(), out);
            collect(f.right(), out);
        } else if (v instanceof dev.eff.dsl.check.Value.Call c && c.spec() instanceof dev.eff.dsl.check.Hook h) {
            dev.eff.dsl.check.HookDecl d = h.decl();
            out.putIfAbsent(d.name(), new Bundle.Hook(d.name(), d.kind().word(), d.language(), d.source()));
        }
    }
}
