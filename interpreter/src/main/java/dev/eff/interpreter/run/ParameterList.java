package dev.eff.interpreter.run;

import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code eff summary --parameters}: every variable of a model instance by the name bundles and {@code eff weights} use
 * (its model path, without the instance), with shape and role. Variables are made by lowering, so this builds the
 * model's inference graph (ND4J), unlike the rest of the summary.
 */
public final class ParameterList {
    private ParameterList() {}

    public static String render(ModelGraph graph) {
        DataSchema schema = new DataSchema(List.of(), new DataSchema.Field("label", graph.outputShape()), 0, List.of());
        CompiledModel model = ModelCompiler.standard().forward(graph, schema, 0, DataType.FLOAT);
        String prefix = model.variables().namespace().isEmpty() ? "" : model.variables().namespace() + "/";
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"parameter", "shape", "role"});
        model.variables().all().forEach((name, v) -> rows.add(new String[] {
                name.startsWith(prefix) ? name.substring(prefix.length()) : name,
                Arrays.stream(v.array().shape()).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", v.array().rank() == 1 ? ",)" : ")")),
                v.role().name().toLowerCase(Locale.ROOT)}));
        return "parameters of " + graph.instance() + " (names as in bundles and eff weights)\n" + Table.render(rows, 3);
    }
}
