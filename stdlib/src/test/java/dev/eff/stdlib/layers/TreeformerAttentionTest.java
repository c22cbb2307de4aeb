package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.ScopedLowering;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TreeformerAttentionTest {

    private static final int T = 8, D = 8;
    private static final Shape IN = Shape.batch(DType.FLOAT, T, D);

    private static LayerHarness tree(Object... args) { return LayerHarness.of(new TreeformerAttention(), args).input(IN); }

    @ParameterizedTest
    @CsvSource({"1, false", "2, false", "2, true"})
    void depthZeroIsFullSoftmaxAttention(int heads, boolean causal) {
        INDArray x = Plain.random(3, 2, T, D);
        INDArray expected = LayerHarness.of(new SoftmaxAttention(), "heads", heads, "causal", causal).input(IN)
                .run(DataType.DOUBLE, x).output();
        INDArray actual = tree("heads", heads, "causal", causal, "depth", 0).run(DataType.DOUBLE, x).output();
        Plain.assertClose(Plain.flat(expected), actual, 1e-10);
    }

    /** Leaf mode against a plain loop: tree traversal, capacity in position order, attention within the leaf only. */
    @ParameterizedTest
    @CsvSource({"2, 2, false, 4.0", "2, 2, true, 4.0", "1, 3, false, 1.0", "2, 2, true, 1.0", "2, 1, false, 1.0"})
    void leafModeMatchesPlainTreeReference(int heads, int depth, boolean causal, double capacity) {
        INDArray x = Plain.random(7 + depth, 2, T, D);
        var run = tree("heads", heads, "causal", causal, "depth", depth, "capacity", capacity).run(DataType.DOUBLE, x);
        long c = (long) Math.max(1, Math.min(T, Math.ceil(capacity * T / (1 << depth) - 1e-9)));
        Plain.assertClose(reference(x, run, heads, depth, causal, false, c), run.output(), 1e-10);
    }

    @ParameterizedTest
    @CsvSource({"2, 2", "1, 3", "2, 0"})
    void pathModeMatchesPlainTreeReference(int heads, int depth) {
        INDArray x = Plain.random(11 + depth, 2, T, D);
        var run = tree("heads", heads, "depth", depth, "mode", "path").run(DataType.DOUBLE, x);
        Plain.assertClose(reference(x, run, heads, depth, false, true, T), run.output(), 1e-10);
    }

    @Test
    void leafModeNeverAttendsAcrossLeavesAndPathModeReachesEveryKey() {
        // the gradient of the first position's output reaches only the positions whose keys share its leaf
        INDArray x = Plain.random(5, 1, T, D);
        boolean[] leafReach = reach(x, "leaf"), pathReach = reach(x, "path");
        var run = tree("heads", 1, "depth", 2, "capacity", 4.0).randomParams(false).run(DataType.DOUBLE, x);
        int[] keyLeaves = leaves(x, run, 1, 2, 1).get(0)[0], queryLeaves = leaves(x, run, 1, 2, 0).get(0)[0];
        int reached = 0;
        for (int j = 1; j < T; j++) {
            assertEquals(keyLeaves[j] == queryLeaves[0], leafReach[j], "position " + j);
            if (leafReach[j]) reached++;
            assertTrue(pathReach[j], "path mode: no gradient at position " + j);
        }
        assertTrue(reached < T - 1, "the fixed input must put some key outside the first query's leaf");
    }

    @Test
    void splitParametersGetGradientsThroughTheEstimator() {
        for (String mode : List.of("leaf", "path")) {
            Map<String, INDArray> g = gradients(tree("heads", 2, "depth", 2, "mode", mode), Plain.random(9, 2, T, D), null);
            assertTrue(g.get("layer/splitW").norm2Number().doubleValue() > 0, mode);
            assertTrue(g.get("layer/splitB").norm2Number().doubleValue() > 0, mode);
        }
    }

    /**
     * Finite differences for every variable, splits included, with every split decision far from its threshold
     * (splits scaled by 10⁴): the estimator then adds no gradient (clip(z, −1, 1) is flat), as the true one is zero.
     */
    @ParameterizedTest
    @CsvSource({"leaf, false", "leaf, true", "path, false"})
    void finiteDifferenceGradients(String mode, boolean causal) {
        var h = tree("heads", 2, "depth", 1, "mode", mode, "causal", causal, "capacity", 1.5);
        INDArray x = Plain.random(13, 2, T, D);
        SplittableRandom rng = new SplittableRandom(3);
        INDArray r = Plain.random(rng, 2, T, D);
        Graph g = graph(h, x, r);
        g.sd.getVariable("layer/splitW").getArr().muli(1e4);
        g.sd.getVariable("layer/splitB").getArr().assign(0.5);
        Map<String, INDArray> analytic = quietly(() -> g.sd.calculateGradients(Map.of(), g.wrt));
        for (String name : g.wrt) {
            INDArray value = g.sd.getVariable(name).getArr();
            for (int n = 0; n < 12; n++) {
                long i = rng.nextLong(value.length());
                double orig = value.getDouble(i);
                value.putScalar(i, orig + 1e-6);
                double up = g.sd.output(Map.of(), g.loss).get(g.loss).getDouble(0);
                value.putScalar(i, orig - 1e-6);
                double down = g.sd.output(Map.of(), g.loss).get(g.loss).getDouble(0);
                value.putScalar(i, orig);
                double numeric = (up - down) / 2e-6, a = analytic.get(name).getDouble(i);
                assertTrue(Math.abs(a - numeric) <= 1e-7 + 1e-5 * Math.abs(numeric),
                        name + "[" + i + "]: SameDiff " + a + ", finite difference " + numeric);
            }
        }
    }

    @Test
    void pathModeCannotBeCausal() {
        var e = assertThrows(ShapeException.class, () -> tree("mode", "path", "causal", true).outputShape());
        assertTrue(e.getMessage().contains("cannot be causal"), e.getMessage());
        assertTrue(e.hint().contains("mode = leaf"), e.hint());
    }

    @Test
    void attentionFlopsAtLeastTenTimesFewerThanSoftmaxAt4096() throws Exception {
        long t = 4096, d = 128;
        Shape in = Shape.batch(DType.FLOAT, t, d);
        long softmax = 4 * t * t * d;
        for (String mode : List.of("leaf", "path")) {
            Args args = LayerHarness.bind(new TreeformerAttention(), "heads", 4, "depth", 6, "mode", mode);
            long attention = TreeformerAttention.attentionFlops(args, t, d);
            assertTrue(softmax >= 10 * attention, mode + ": " + softmax + " vs " + attention);
            long total = new TreeformerAttention().cost(args, in, in, Map.of()).flops();
            long projections = Projection.flops(t, d, 3 * d, true) + Projection.flops(t, d, d, true);
            assertEquals(projections + attention + TreeformerAttention.routingFlops(args, t, d), total);
        }
    }

    @Test
    void balancedAtInitialisationAndBalanceLossIsAboutOne() {
        // initial splits (not randomised): hyperplanes through the origin halve the zero-mean queries and keys
        var h = tree("heads", 2, "depth", 2).randomParams(false);
        Graph g = graph(h, Plain.random(17, 16, T, D).muli(3), null);
        Map<String, INDArray> out = g.sd.output(Map.of(), g.side.toArray(String[]::new));
        double maxMean = out.get(g.sideName("leafLoad")).maxNumber().doubleValue() * 4;
        double balance = out.get(g.sideName("leafBalance")).getDouble(0);
        assertTrue(maxMean < 1.8, "max/mean leaf occupancy " + maxMean);
        assertTrue(balance > 0.99 && balance < 1.3, "leaf balance " + balance);
        assertEquals(1.0, out.get(g.sideName("leafLoad")).sumNumber().doubleValue(), 1e-9);
    }

    @Test
    void leafLoadProbeCountsTheKeysOfAPlainTreeWalk() {
        INDArray x = Plain.random(21, 3, T, D);
        var h = tree("heads", 2, "depth", 2).randomParams(false);
        var run = h.run(DataType.DOUBLE, x);
        double[] expected = new double[4];
        for (int[][] example : leaves(x, run, 2, 2, 1)) {
            for (int[] head : example) for (int leaf : head) expected[leaf] += 1.0 / (3 * 2 * T);
        }
        Graph g = graph(h, x, null);
        Plain.assertClose(expected, g.sd.output(Map.of(), g.sideName("leafLoad")).get(g.sideName("leafLoad")), 1e-12);
    }

    @Test
    void sideOutputsAsDeclared() {
        var leaf = tree("heads", 2, "depth", 2);
        Graph g = graph(leaf, Plain.random(1, 1, T, D), null);
        assertEquals(names(new TreeformerAttention().sideOutputs(leaf.args())), g.sideNames());
        var path = tree("heads", 2, "depth", 2, "mode", "path");
        assertEquals(names(new TreeformerAttention().sideOutputs(path.args())), graph(path, Plain.random(1, 1, T, D), null).sideNames());
    }

    // ---- helpers ----

    private static List<String> names(List<dev.eff.dsl.check.SideOutput> s) {
        return s.stream().map(dev.eff.dsl.check.SideOutput::name).sorted().toList();
    }

    private record Graph(SameDiff sd, String loss, String[] wrt, List<String> side, ScopedLowering ctx) {
        String sideName(String n) {
            SDVariable v = ctx.auxiliaries().containsKey(n) ? ctx.auxiliaries().get(n) : ctx.probes().get(n);
            return v.name();
        }

        List<String> sideNames() {
            List<String> all = new ArrayList<>(ctx.auxiliaries().keySet());
            all.addAll(ctx.probes().keySet());
            return all.stream().sorted().toList();
        }
    }

    /** The layer in DOUBLE with the input as a variable; loss Σ out ⊙ R (R null: Σ out). */
    private static Graph graph(LayerHarness h, INDArray x, INDArray r) {
        try {
            SameDiff sd = SameDiff.create();
            SDVariable in = sd.var("input", x.castTo(DataType.DOUBLE));
            Shape out = h.outputShape();
            ScopedLowering ctx = new ScopedLowering(sd, "layer", IN, out, LayerHarness.DEFAULT_SEED, DataType.DOUBLE,
                    sd.constant("training", Nd4j.scalar(DataType.DOUBLE, 1.0)));
            SDVariable y = new TreeformerAttention().lower(ctx, h.args(), in, Map.of());
            SDVariable loss = sd.sum(r == null ? y : y.mul(sd.constant(r)));
            loss.markAsLoss();
            String[] wrt = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                    .map(SDVariable::name).toArray(String[]::new);
            List<String> side = new ArrayList<>();
            ctx.auxiliaries().values().forEach(v -> side.add(v.name()));
            ctx.probes().values().forEach(v -> side.add(v.name()));
            return new Graph(sd, loss.name(), wrt, side, ctx);
        } catch (ShapeException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, INDArray> gradients(LayerHarness h, INDArray x, INDArray r) {
        Graph g = graph(h, x, r);
        return quietly(() -> g.sd.calculateGradients(Map.of(), g.wrt));
    }

    /** Which positions the gradient of the first position's output reaches (its own excluded), depth 2, one head. */
    private static boolean[] reach(INDArray x, String mode) {
        INDArray r = Nd4j.zeros(DataType.DOUBLE, 1, T, D);
        r.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all()).assign(1.0);
        INDArray grad = gradients(tree("heads", 1, "depth", 2, "mode", mode, "capacity", 4.0), x, r).get("input");
        boolean[] reached = new boolean[T];
        for (int j = 0; j < T; j++) {
            reached[j] = grad.get(NDArrayIndex.point(0), NDArrayIndex.point(j), NDArrayIndex.all()).norm2Number().doubleValue() > 1e-12;
        }
        return reached;
    }

    /**
     * Leaves of queries (part 0) or keys (part 1) per example and head, by walking each tree from the root with the
     * run's parameters.
     */
    private static List<int[][]> leaves(INDArray x, LayerHarness.Run run, int heads, int depth, int part) {
        double[][] wqkv = Plain.matrix(run.param("Wqkv"));
        double[] bqkv = Plain.flat(run.param("bqkv")), xs = Plain.flat(x);
        int dh = D / heads;
        List<int[][]> out = new ArrayList<>();
        for (int n = 0; n < x.size(0); n++) {
            double[][] rows = new double[T][];
            for (int t = 0; t < T; t++) rows[t] = Plain.row(xs, n * T + t, D);
            double[][] qkv = Plain.affine(rows, wqkv, bqkv);
            int[][] leaf = new int[heads][T];
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < T; t++) leaf[h][t] = walk(run, h, depth, vector(qkv[t], part, h, dh));
            }
            out.add(leaf);
        }
        return out;
    }

    private static double[] vector(double[] qkvRow, int part, int head, int dh) {
        double[] u = new double[dh];
        System.arraycopy(qkvRow, part * D + head * dh, u, 0, dh);
        return u;
    }

    /** Root to leaf: go left (child 2ν + 1) when w_ν·u + b_ν &gt; 0, else right (2ν + 2). */
    private static int walk(LayerHarness.Run run, int head, int depth, double[] u) {
        if (depth == 0) return 0;
        INDArray w = run.param("splitW"), b = run.param("splitB");
        int node = 0;
        for (int level = 0; level < depth; level++) {
            double z = b.getDouble(head, 0, node);
            for (int e = 0; e < u.length; e++) z += w.getDouble(head, e, node) * u[e];
            node = z > 0 ? 2 * node + 1 : 2 * node + 2;
        }
        return node - ((1 << depth) - 1);
    }

    private static double[] reference(INDArray x, LayerHarness.Run run, int heads, int depth, boolean causal, boolean path,
                                      long capacity) {
        double[][] wqkv = Plain.matrix(run.param("Wqkv")), wo = Plain.matrix(run.param("Wo"));
        double[] bqkv = Plain.flat(run.param("bqkv")), bo = Plain.flat(run.param("bo")), xs = Plain.flat(x);
        int batch = (int) x.size(0), dh = D / heads;
        List<int[][]> ql = leaves(x, run, heads, depth, 0), kl = leaves(x, run, heads, depth, 1);
        double[] out = new double[batch * T * D];
        for (int n = 0; n < batch; n++) {
            double[][] rows = new double[T][];
            for (int t = 0; t < T; t++) rows[t] = Plain.row(xs, n * T + t, D);
            double[][] qkv = Plain.affine(rows, wqkv, bqkv);
            double[][] merged = new double[T][D];
            for (int h = 0; h < heads; h++) {
                int[] qLeaf = ql.get(n)[h], kLeaf = kl.get(n)[h];
                boolean[] qKept = kept(qLeaf, capacity), kKept = kept(kLeaf, capacity);
                for (int i = 0; i < T; i++) {
                    double[] q = vector(qkv[i], 0, h, dh);
                    List<double[]> keys = new ArrayList<>(), values = new ArrayList<>();
                    if (path) {
                        for (int level = 0; level <= depth; level++) {
                            int prefix = qLeaf[i] >> (depth - level);
                            double[] k = new double[dh], v = new double[dh];
                            int count = 0;
                            for (int j = 0; j < T; j++) {
                                if (kLeaf[j] >> (depth - level) != prefix) continue;
                                count++;
                                for (int e = 0; e < dh; e++) {
                                    k[e] += qkv[j][D + h * dh + e];
                                    v[e] += qkv[j][2 * D + h * dh + e];
                                }
                            }
                            if (count == 0) continue;
                            for (int e = 0; e < dh; e++) {
                                k[e] /= count;
                                v[e] /= count;
                            }
                            keys.add(k);
                            values.add(v);
                        }
                    } else if (qKept[i]) {
                        for (int j = 0; j < T; j++) {
                            if (kKept[j] && kLeaf[j] == qLeaf[i] && (!causal || j <= i)) {
                                keys.add(vector(qkv[j], 1, h, dh));
                                values.add(vector(qkv[j], 2, h, dh));
                            }
                        }
                    }
                    double[] mixed = attend(q, keys, values, dh);
                    System.arraycopy(mixed, 0, merged[i], h * dh, dh);
                }
            }
            double[][] y = Plain.affine(merged, wo, bo);
            for (int t = 0; t < T; t++) System.arraycopy(y[t], 0, out, (n * T + t) * D, D);
        }
        return out;
    }

    /** The first {@code capacity} positions of each leaf. */
    private static boolean[] kept(int[] leaf, long capacity) {
        Map<Integer, Integer> seen = new java.util.HashMap<>();
        boolean[] kept = new boolean[leaf.length];
        for (int t = 0; t < leaf.length; t++) kept[t] = seen.merge(leaf[t], 1, Integer::sum) <= capacity;
        return kept;
    }

    /** softmax(q·k/√dh) over the given keys, mixing the values; zeros for no keys. */
    private static double[] attend(double[] q, List<double[]> keys, List<double[]> values, int dh) {
        double[] out = new double[dh];
        if (keys.isEmpty()) return out;
        double[] p = new double[keys.size()];
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int s = 0; s < p.length; s++) {
            for (int e = 0; e < dh; e++) p[s] += q[e] * keys.get(s)[e];
            p[s] /= Math.sqrt(dh);
            max = Math.max(max, p[s]);
        }
        for (int s = 0; s < p.length; s++) sum += p[s] = Math.exp(p[s] - max);
        for (int s = 0; s < p.length; s++) for (int e = 0; e < dh; e++) out[e] += p[s] / sum * values.get(s)[e];
        return out;
    }

    private static <T> T quietly(Supplier<T> work) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return work.get();
        } finally {
            System.setOut(out);
        }
    }
}
