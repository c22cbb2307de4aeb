package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListOpsTest {

    private final ListOps source = new ListOps();

    /** An operator frame of the checking evaluator: its token and the argument values so far. */
    private record Frame(int op, List<Integer> args) {}

    /**
     * Evaluates a token sequence with an explicit stack, independently of the generator; also checks the
     * syntax (balanced, PAD only at the end), the nesting depth and the argument counts.
     */
    private static int evaluate(int[] t, int maxDepth, int maxArgs) {
        Deque<Frame> stack = new ArrayDeque<>();
        Integer result = null;
        int i = 0;
        for (; i < t.length && t[i] != 0; i++) {
            assertTrue(result == null, "one expression per sequence");
            int tok = t[i];
            if (tok >= 11 && tok <= 14) {
                stack.push(new Frame(tok, new ArrayList<>()));
                assertTrue(stack.size() <= maxDepth, "depth within maxDepth");
            } else if (tok == 15) {
                Frame f = stack.pop();
                int n = f.args().size();
                assertTrue(n >= 2 && n <= maxArgs, "argument count " + n);
                List<Integer> a = new ArrayList<>(f.args());
                a.sort(null);
                int v = switch (f.op()) {
                    case 11 -> a.get(n - 1);
                    case 12 -> a.get(0);
                    case 13 -> n % 2 == 1 ? a.get(n / 2) : (int) Math.floor((a.get(n / 2 - 1) + a.get(n / 2)) / 2.0);
                    default -> a.stream().mapToInt(Integer::intValue).sum() % 10;
                };
                if (stack.isEmpty()) result = v; else stack.peek().args().add(v);
            } else {
                assertTrue(tok >= 1 && tok <= 10, "digit token");
                assertFalse(stack.isEmpty(), "digits only inside an operator");
                stack.peek().args().add(tok - 1);
            }
        }
        for (; i < t.length; i++) assertEquals(0, t[i], "only PAD after the expression");
        assertTrue(stack.isEmpty() && result != null, "balanced brackets");
        return result;
    }

    @Test
    void labelsAreTheValuesOfTheExpressions() throws Exception {
        int maxDepth = 3, maxArgs = 4, len = 40;
        Dataset d = source.load(args(source, "maxDepth", maxDepth, "maxArgs", maxArgs, "length", len, "examples", 2000), "train", Path.of("."));
        var x = (Dataset.Ints) d.columns().get(0);
        var y = (Dataset.Ints) d.labelColumn();
        int[] perLabel = new int[10];
        int deepest = 0;
        for (int e = 0; e < d.size(); e++) {
            int[] t = Arrays.copyOfRange(x.values(), e * len, (e + 1) * len);
            assertEquals(evaluate(t, maxDepth, maxArgs), y.at(e, 0), "example " + e);
            perLabel[y.at(e, 0)]++;
            int depth = 0, open = 0;
            for (int tok : t) { if (tok >= 11 && tok <= 14) depth = Math.max(depth, ++open); if (tok == 15) open--; }
            deepest = Math.max(deepest, depth);
        }
        assertEquals(maxDepth, deepest, "nesting reaches maxDepth");
        for (int c = 0; c < 10; c++) assertTrue(perLabel[c] > 0, "label " + c + " occurs");
    }

    @Test
    void defaultsFitTheirLengthAndAreDeterministic() throws Exception {
        var a = args(source, "examples", 300, "testExamples", 300);
        Dataset d1 = source.load(a, "train", Path.of(".")), d2 = source.load(a, "train", Path.of("."));
        Dataset t = source.load(a, "test", Path.of("."));
        assertEquals("int[B, 128]", source.schema(a).inputs().get(0).shape().describe());
        assertEquals(10, source.schema(a).classes());
        assertArrayEquals(((Dataset.Ints) d1.columns().get(0)).values(), ((Dataset.Ints) d2.columns().get(0)).values());
        assertFalse(Arrays.equals(((Dataset.Ints) d1.columns().get(0)).values(), ((Dataset.Ints) t.columns().get(0)).values()));
        var x = (Dataset.Ints) t.columns().get(0);
        for (int e = 0; e < t.size(); e++) {
            assertEquals(evaluate(Arrays.copyOfRange(x.values(), e * 128, (e + 1) * 128), 4, 5), ((Dataset.Ints) t.labelColumn()).at(e, 0));
        }
    }

    @Test
    void medianOfAnEvenCountRoundsDown() {
        assertEquals(5, ListOps.apply(ListOps.MED, new int[] {9, 1, 4, 7}, 4)); // (4 + 7) / 2 = 5.5
        assertEquals(3, ListOps.apply(ListOps.SM, new int[] {9, 4}, 2));
    }

    @Test
    void sizesBeyondAJavaArrayAreSchemaErrorsAndIdsAreBelowSixteen() throws Exception {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.eff.dsl.check.ShapeException.class,
                () -> source.schema(args(source, "length", 100_000, "examples", 100_000)));
        assertTrue(e.getMessage().contains("makes 10,000,000,000 tokens"), e.getMessage());
        assertEquals(16, source.schema(args(source)).inputs().get(0).vocab());
    }
}
