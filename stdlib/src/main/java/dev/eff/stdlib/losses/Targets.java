package dev.eff.stdlib.losses;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;

/**
 * The shape rules shared by losses and metrics: what model output a kind of label can be compared with.
 * Class labels are int ids, one per example ({@code [B]}) or per position ({@code [B, T]}); the output
 * then has one more axis holding a score per class. Regression targets are floats with as many values
 * per example as the output.
 */
public final class Targets {
    private Targets() {}

    /** Output {@code [B, C]} against labels {@code [B]}, or {@code [B, T, C]} against {@code [B, T]}. */
    public static void checkClasses(String who, Shape output, DataSchema.Field label, long classes)
            throws ShapeException {
        Shape ls = label.shape();
        if (classes <= 0 || ls.dtype() != DType.INT) {
            throw new ShapeException(who + " compares class scores with class ids, but the data's label '"
                    + label.name() + "' is a " + ls.describe() + " regression target",
                    "use mse() for float targets");
        }
        if (output.dtype() != DType.FLOAT) {
            throw new ShapeException(who + " needs float class scores, but the model outputs "
                    + output.describe(), "end the model with logits(" + classes + ")");
        }
        if (output.rank() != ls.rank() + 1) {
            throw new ShapeException("the model outputs " + output + " but the labels '" + label.name() + "' are "
                    + ls + ": " + who + " needs one score per class for each label, i.e. "
                    + withClasses(ls, classes), hintFor(output, ls, classes));
        }
        for (int i = 1; i < ls.rank(); i++) {
            if (!output.dim(i).equals(ls.dim(i))) {
                throw new ShapeException("the model outputs " + output.dim(i) + " positions but the labels '"
                        + label.name() + "' have " + ls.dim(i), "the model must keep the sequence length of its input");
            }
        }
        Dim c = output.dim(-1);
        if (!(c instanceof Dim.Fixed f) || f.size() != classes) {
            throw new ShapeException("the model outputs " + c + " classes but the data has " + classes,
                    "end the model with logits(" + classes + ")");
        }
    }

    /** Output and float target with the same number of values per example. */
    public static void checkRegression(String who, Shape output, DataSchema.Field label, long classes)
            throws ShapeException {
        Shape ls = label.shape();
        if (classes > 0 || ls.dtype() != DType.FLOAT) {
            throw new ShapeException(who + " compares float targets, but the data's label '" + label.name()
                    + "' holds class ids", "use crossEntropy() for classification");
        }
        if (output.dtype() != DType.FLOAT) {
            throw new ShapeException(who + " needs a float model output, but the model outputs " + output.describe());
        }
        long want = ls.rank() == 1 ? 1 : ls.exampleElements();
        long got = output.rank() == 1 ? 1 : output.exampleElements();
        if (want != got) {
            throw new ShapeException("the model outputs " + got + " values per example but the target '" + label.name()
                    + "' has " + want, "end the model with linear(" + want + ")");
        }
    }

    private static Shape withClasses(Shape s, long n) {
        var dims = new java.util.ArrayList<>(s.dims());
        dims.add(Dim.of(n));
        return new Shape(DType.FLOAT, dims);
    }

    private static String hintFor(Shape output, Shape labels, long classes) {
        if (output.rank() > labels.rank() + 1) return "reduce the sequence first, e.g. pool(mean), then logits(" + classes + ")";
        return "end the model with logits(" + classes + ")";
    }
}
