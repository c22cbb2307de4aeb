package dev.eff.api;

import dev.eff.dsl.check.Shape;
import java.util.Arrays;

/**
 * A named tensor of a model or a data source, per example: {@code type} is {@code "float"} or {@code "int"} (token or
 * class ids), {@code shape} the sizes after the batch dimension (empty for one value per example).
 */
public record Field(String name, String type, long[] shape) {

    public Field {
        shape = shape.clone();
    }

    @Override public long[] shape() { return shape.clone(); }

    static Field of(String name, Shape s) {
        long[] example = new long[Math.max(0, s.rank() - 1)];
        for (int i = 1; i < s.rank(); i++) {
            example[i - 1] = s.dim(i) instanceof dev.eff.dsl.check.Dim.Fixed f ? f.size() : -1;
        }
        return new Field(name, s.dtype().word(), example);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Field f && f.name.equals(name) && f.type.equals(type) && Arrays.equals(f.shape, shape);
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override public String toString() { return name + ": " + type + Arrays.toString(shape); }
}
