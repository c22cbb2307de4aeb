package dev.eff.api;

import dev.eff.dsl.check.DataBinding;
import java.util.List;

/**
 * A data declaration of a checked script: its {@code name}, its {@code source} as a call with every argument
 * written out, its inputs and label per example, the number of {@code classes} (0 when the label is no class id) and
 * its splits.
 */
public record DataInfo(String name, String source, List<Field> inputs, Field label, long classes, List<String> splits) {

    public DataInfo {
        inputs = List.copyOf(inputs);
        splits = List.copyOf(splits);
    }

    static DataInfo of(DataBinding b) {
        var s = b.schema();
        return new DataInfo(b.name(), b.spec().signature().name() + "(" + b.args().render() + ")",
                s.inputs().stream().map(f -> Field.of(f.name(), f.shape())).toList(), Field.of(s.label().name(), s.label().shape()),
                s.classes(), s.splits());
    }
}
