package dev.eff.dsl.check;

import java.util.List;

/**
 * What a data source yields, as the checker sees it: named inputs and one label, each with a batch
 * shape, the number of classes when labels are class ids (0 otherwise), and its splits
 * ({@code train}, {@code test}).
 */
public record DataSchema(List<Field> inputs, Field label, long classes, List<String> splits) {

    public DataSchema {
        inputs = List.copyOf(inputs);
        splits = List.copyOf(splits);
    }

    public record Field(String name, Shape shape) {}
}
