package dev.eff.interpreter.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every operator a hook writes on graph variables, as {@code { a, b -> EXPRESSION }} evaluated in a graph, against
 * the same arithmetic done elementwise on the host; and the hook scope's math functions likewise.
 */
class OperatorsTest {
    private static final double[][] A = {{0.5, 1.5, 2.0}, {3.0, 0.25, 1.25}};
    private static final double[][] B = {{2.0, 0.5, 1.0}, {1.5, 4.0, 0.75}};

    static Stream<Arguments> operators() {
        return Stream.of(
                op("a + b", (a, b) -> a + b), op("a + 2", (a, b) -> a + 2), op("2 + a", (a, b) -> 2 + a),
                op("a - b", (a, b) -> a - b), op("a - 1", (a, b) -> a - 1), op("1 - a", (a, b) -> 1 - a),
                op("a * b", (a, b) -> a * b), op("a * 3", (a, b) -> a * 3), op("2 * a", (a, b) -> 2 * a),
                op("0.5 * a", (a, b) -> 0.5 * a), op("a / b", (a, b) -> a / b), op("a / 3", (a, b) -> a / 3),
                op("3 / a", (a, b) -> 3 / a), op("-a", (a, b) -> -a), op("+a", (a, b) -> a),
                op("a ** 2", (a, b) -> a * a), op("a ** 0.5", (a, b) -> Math.sqrt(a)), op("a ** b", Math::pow),
                op("2 ** a", (a, b) -> Math.pow(2, a)), op("a % b", (a, b) -> a - b * Math.floor(a / b)),
                op("a % 1", (a, b) -> a - Math.floor(a)), op("1 - a * b / 2", (a, b) -> 1 - a * b / 2),
                op("-(a * (1 - b) ** 2)", (a, b) -> -(a * (1 - b) * (1 - b))),
                op("log(a)", (a, b) -> Math.log(a)), op("exp(a)", (a, b) -> Math.exp(a)),
                op("sqrt(a)", (a, b) -> Math.sqrt(a)), op("square(a)", (a, b) -> a * a), op("abs(1 - a)", (a, b) -> Math.abs(1 - a)),
                op("pow(a, 3)", (a, b) -> a * a * a), op("clamp(a, 0.5, 2)", (a, b) -> Math.max(0.5, Math.min(2, a))),
                op("max(a, b)", Math::max), op("min(a, b)", Math::min), op("sigmoid(a)", (a, b) -> 1 / (1 + Math.exp(-a))),
                op("tanh(a)", (a, b) -> Math.tanh(a)), op("relu(a - 1)", (a, b) -> Math.max(0, a - 1)));
    }

    private static Arguments op(String expression, BinaryOperator<Double> plain) { return Arguments.of(expression, plain); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void elementwise(String expression, BinaryOperator<Double> plain) {
        INDArray got = run(expression);
        for (int i = 0; i < A.length; i++) {
            for (int j = 0; j < A[0].length; j++) {
                assertEquals(plain.apply(A[i][j], B[i][j]), got.getDouble(i, j), 1e-9, expression + " at " + i + "," + j);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductions")
    void reductions(String expression, double[] expected) {
        assertArrayEquals(expected, run(expression).reshape(-1).toDoubleVector(), 1e-9, expression);
    }

    static Stream<Arguments> reductions() {
        INDArray a = Nd4j.createFromArray(A);
        INDArray soft = Transforms.softmax(a.dup(), true);   // each row: exp / Σ exp
        return Stream.of(
                Arguments.of("a.sum()", new double[] {a.sumNumber().doubleValue()}),
                Arguments.of("sum(a)", new double[] {a.sumNumber().doubleValue()}),
                Arguments.of("a.sum(1)", a.sum(1).toDoubleVector()),
                Arguments.of("sum(a, 0)", a.sum(0).toDoubleVector()),
                Arguments.of("a.mean()", new double[] {a.meanNumber().doubleValue()}),
                Arguments.of("mean(a, 1)", a.mean(1).toDoubleVector()),
                Arguments.of("a[1]", a.getRow(1).toDoubleVector()),
                Arguments.of("a[-1]", a.getRow(1).toDoubleVector()),
                Arguments.of("softmax(a)", soft.reshape(-1).toDoubleVector()),
                Arguments.of("logSoftmax(a)", Transforms.log(soft, true).reshape(-1).toDoubleVector()),
                Arguments.of("exp(logSoftmax(a)).sum(-1)", new double[] {1, 1}));
    }

    private static INDArray run(String expression) {
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.constant("a", Nd4j.createFromArray(A).castTo(DataType.DOUBLE));
        SDVariable b = sd.constant("b", Nd4j.createFromArray(B).castTo(DataType.DOUBLE));
        Object out = Hooks.closure("{ a, b -> " + expression + " }", 2).call(a, b);
        SDVariable v = (SDVariable) out;
        return v.eval();
    }
}
