package dev.eff.dsl.check;

import dev.eff.dsl.resolve.Reporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token ids from the data against the vocabulary of the layer that reads them. An embedding looks ids up as
 * one-hot rows, so an id at or above its vocabulary silently becomes a zero vector: {@code embed(vocab = 16)} on
 * bytes (ids up to 255) trains and scores nothing. Only a data input read directly by such a layer is compared.
 */
final class IdRanges {
    private IdRanges() {}

    static void check(ModelGraph model, DataBinding data, Reporter report) {
        List<DataSchema.Field> fields = data.schema().inputs();
        if (model.inputs().size() != fields.size()) return;
        Map<String, DataSchema.Field> byInput = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) byInput.put(model.inputs().get(i).name(), fields.get(i));
        for (Node n : model.nodes()) {
            if (!(n instanceof Node.Apply a)) continue;
            long vocab = a.spec().idVocabulary(a.args());
            DataSchema.Field f = byInput.get(a.input());
            if (vocab <= 0 || f == null || f.vocab() <= vocab) continue;
            String layer = a.spec().signature().name();
            report.error(a.span(), layer + "(vocab = " + vocab + ") has vectors for ids 0 … " + (vocab - 1) + ", but data '" + data.name()
                            + "' gives '" + f.name() + "' ids 0 … " + (f.vocab() - 1) + " (vocab " + f.vocab() + ")",
                    "use vocab = " + f.vocab() + " or more: ids outside the table would be read as zero vectors");
        }
    }
}
