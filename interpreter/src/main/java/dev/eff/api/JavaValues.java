package dev.eff.api;

import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Dataset;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Java values as Eff sees them: numbers, strings, booleans and lists become constants; rectangular arrays
 * ({@code float[][]}, {@code int[]}, ..., or an {@code INDArray}), dimension 0 = example, become data columns.
 * Ints (and longs) are token or class ids, floats and doubles are features or targets, held as FLOAT32.
 */
final class JavaValues {
    private JavaValues() {}

    /** Whether {@code v} is something {@link #column} takes. */
    static boolean isArray(Object v) {
        return v instanceof INDArray || v != null && v.getClass().isArray();
    }

    /** {@code v} as a constant, or null when it is no number, string, boolean or list of them. */
    static Value constant(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return new Value.Int(((Number) v).longValue());
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new Value.Float(d) : null;
        }
        if (v instanceof String s) return new Value.Str(s);
        if (v instanceof Boolean b) return new Value.Bool(b);
        if (v instanceof List<?> l) {
            List<Value> items = new ArrayList<>();
            for (Object o : l) {
                Value item = constant(o);
                if (item == null) return null;
                items.add(item);
            }
            return new Value.List_(items);
        }
        return null;
    }

    /** A rectangular array (or INDArray) of at least one dimension as a column of examples. */
    static Dataset.Column column(String name, Object v) {
        if (v instanceof INDArray a) {
            if (a.rank() < 1 || a.size(0) == 0) throw new IllegalArgumentException(name + ": an array of examples needs dimension 0 ≥ 1, got shape " + java.util.Arrays.toString(a.shape()));
            return Dataset.Column.of(a.isView() ? a.dup() : a);
        }
        List<Integer> dims = new ArrayList<>();
        Object cur = v;
        Class<?> leaf = null;
        while (cur != null && cur.getClass().isArray()) {
            int n = Array.getLength(cur);
            dims.add(n);
            Class<?> component = cur.getClass().getComponentType();
            if (component.isPrimitive()) {
                leaf = component;
                break;
            }
            cur = n > 0 ? Array.get(cur, 0) : null;
        }
        if (leaf == null || !(leaf == float.class || leaf == double.class || leaf == int.class || leaf == long.class)) {
            throw new IllegalArgumentException(name + ": expected an array of float, double, int or long (e.g. float[][]), got "
                    + (v == null ? "null" : v.getClass().getSimpleName()));
        }
        long total = 1;
        for (int d : dims) total *= d;
        if (total == 0) throw new IllegalArgumentException(name + ": the array has no elements");
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(name + ": more elements than one Java array holds");
        long[] example = dims.subList(1, dims.size()).stream().mapToLong(Integer::longValue).toArray();
        boolean ints = leaf == int.class || leaf == long.class;
        float[] floats = ints ? null : new float[(int) total];
        int[] ids = ints ? new int[(int) total] : null;
        flatten(name, v, dims, 0, new int[1], floats, ids);
        return ints ? new Dataset.Ints(ids, example) : new Dataset.Floats(floats, example);
    }

    private static void flatten(String name, Object a, List<Integer> dims, int depth, int[] at, float[] floats, int[] ids) {
        if (a == null || Array.getLength(a) != dims.get(depth)) {
            throw new IllegalArgumentException(name + ": the array is not rectangular (dimension " + depth + " holds "
                    + (a == null ? "null" : Array.getLength(a)) + " and " + dims.get(depth) + " elements)");
        }
        if (depth < dims.size() - 1) {
            for (Object sub : (Object[]) a) flatten(name, sub, dims, depth + 1, at, floats, ids);
            return;
        }
        if (floats != null ? !(a instanceof float[] || a instanceof double[]) : !(a instanceof int[] || a instanceof long[])) {
            throw new IllegalArgumentException(name + ": the array mixes " + (floats != null ? "floats" : "ints") + " and "
                    + a.getClass().getSimpleName() + " rows");
        }
        if (a instanceof float[] f) for (float x : f) floats[at[0]++] = x;
        else if (a instanceof double[] d) for (double x : d) floats[at[0]++] = (float) x;
        else if (a instanceof int[] i) for (int x : i) ids[at[0]++] = x;
        else {
            for (long x : (long[]) a) {
                if (x != (int) x) throw new IllegalArgumentException(name + ": the id " + x + " does not fit an int");
                ids[at[0]++] = (int) x;
            }
        }
    }
}
