package dev.eff.stdlib.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class MeanSquaredErrorTest {

    @Test
    void matchesPlainMeanOfSquaresAndHasFiniteDifferenceGradient() {
        double[] p = {0.5, -1.25, 2.0, 0.0};
        double[] y = {1.0, -1.0, 0.5, 0.25};
        SameDiff sd = SameDiff.create();
        SDVariable out = sd.var("out", Nd4j.createFromArray(p).reshape(4, 1));
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1);
        SDVariable loss = new MeanSquaredError().lower(sd, new Args(Map.of()), out, labels, 0);
        var ph = Map.of("labels", Nd4j.createFromArray(y));
        double expected = 0;
        for (int i = 0; i < p.length; i++) expected += (p[i] - y[i]) * (p[i] - y[i]) / p.length;
        assertEquals(expected, sd.output(ph, loss.name()).get(loss.name()).getDouble(0), 1e-12);
        GradientCheck.assertGradients(sd, ph, loss.name(), "out");
    }

    @Test
    void checkComparesValuesPerExample() throws ShapeException {
        var target = new DataSchema.Field("price", Shape.batch(DType.FLOAT));
        new MeanSquaredError().check(new Args(Map.of()), Shape.batch(DType.FLOAT, 1), target, 0);
        var e = assertThrows(ShapeException.class,
                () -> new MeanSquaredError().check(new Args(Map.of()), Shape.batch(DType.FLOAT, 3), target, 0));
        assertEquals("the model outputs 3 values per example but the target 'price' has 1", e.getMessage());
        assertEquals("end the model with linear(1)", e.hint());
        var classes = new DataSchema.Field("label", Shape.batch(DType.INT));
        assertThrows(ShapeException.class,
                () -> new MeanSquaredError().check(new Args(Map.of()), Shape.batch(DType.FLOAT, 1), classes, 10));
    }
}
