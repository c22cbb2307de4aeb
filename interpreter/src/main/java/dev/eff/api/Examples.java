package dev.eff.api;

import dev.eff.stdlib.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Examples a host passes for prediction, as columns checked against a model's inputs. */
final class Examples {
    private Examples() {}

    /** The inputs as columns of examples, each checked against the model's input (one example when one rank short). */
    static List<Dataset.Column> columns(String model, List<Field> fields, Object[] given) {
        if (given.length != fields.size()) {
            throw new IllegalArgumentException("model " + model + " takes " + fields.size() + " input(s) (" + fields + "), got " + given.length);
        }
        List<Dataset.Column> out = new ArrayList<>();
        Integer examples = null;
        for (int i = 0; i < given.length; i++) {
            Field f = fields.get(i);
            Dataset.Column c = JavaValues.column(f.name(), given[i]);
            if (c.exampleShape().length + 1 == f.shape().length) c = oneExample(c);
            boolean ids = f.type().equals("int");
            if (ids != c instanceof Dataset.Ints) {
                throw new IllegalArgumentException("input '" + f.name() + "' takes " + (ids ? "int token ids" : "floats") + ", got " + (ids ? "floats" : "ints"));
            }
            if (!Arrays.equals(c.exampleShape(), f.shape())) {
                throw new IllegalArgumentException("input '" + f.name() + "' takes examples of shape " + Arrays.toString(f.shape())
                        + ", got " + Arrays.toString(c.exampleShape()));
            }
            if (examples != null && c.size() != examples) throw new IllegalArgumentException("the inputs hold different numbers of examples");
            examples = c.size();
            out.add(c);
        }
        return out;
    }

    private static Dataset.Column oneExample(Dataset.Column c) {
        long[] shape = new long[c.exampleShape().length + 1];
        shape[0] = c.size();
        System.arraycopy(c.exampleShape(), 0, shape, 1, c.exampleShape().length);
        return c instanceof Dataset.Ints i ? new Dataset.Ints(i.values(), shape) : new Dataset.Floats(((Dataset.Floats) c).values(), shape);
    }
}
