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

    /**
     * One input or the label. {@code vocab} bounds an int field's values to {@code 0 … vocab-1} when the source
     * knows it statically (token ids), so the checker can compare it with the vocabulary of the layer that reads
     * them; 0 when not known or not an id field.
     */
    public record Field(String name, Shape shape, long vocab) {
        public Field(String name, Shape shape) { this(name, shape, 0); }
    }
}
