package dev.eff.stdlib.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.ScopedLowering;
import dev.eff.stdlib.testing.LayerHarness;
import dev.eff.stdlib.testing.Plain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mixture of experts against a plain reference written here with loops over tokens and experts: which
 * tokens each expert takes, in which order capacity drops them, the gates and combined output, both auxiliary
 * losses and the probes; finite-difference gradients for the router and the experts with both routers.
 */
class MixtureOfExpertsTest {

    private static final int B = 2, T = 8, D = 3, E = 4, H = 5;
    private static final Shape IN = Shape.batch(DType.FLOAT, T, D);

    static Value.Call tokenChoice(int k, double capacity, double evalCapacity) {
        return new Value.Call("tokenChoice", Map.of("k", new Value.Int(k), "capacity", new Value.Float(capacity),
                "evalCapacity", new Value.Float(evalCapacity)), null);
    }

    static Value.Call expertChoice(double k) {
        return new Value.Call("expertChoice", Map.of("k", new Value.Float(k)), null);
    }

    /** One forward pass of the layer alone, in DOUBLE, with its side outputs, parameters random in [-1, 1). */
    record Pass(INDArray out, Map<String, INDArray> params, Map<String, INDArray> aux, Map<String, INDArray> probes) {}

    static Pass forward(Args args, INDArray x, boolean inference, long seed) {
        MixtureOfExperts moe = new MixtureOfExperts();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.DOUBLE, -1, T, D);
        SDVariable training = sd.placeHolder("training", DataType.DOUBLE);
        ScopedLowering ctx = new ScopedLowering(sd, "moe", IN, IN, seed, DataType.DOUBLE, training, inference);
        SDVariable out = moe.lower(ctx, args, in, Map.of());
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, INDArray> params = new HashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                v.setArray(Plain.random(rng, v.getShape()));
                params.put(v.name().substring(4), v.getArr());
            }
        }
        List<String> names = new ArrayList<>(List.of(out.name()));
        ctx.auxiliaries().values().forEach(v -> names.add(v.name()));
        ctx.probes().values().forEach(v -> names.add(v.name()));
        Map<String, INDArray> got = sd.output(Map.of("input", x, "training", Nd4j.scalar(inference ? 0.0 : 1.0)),
                names.toArray(String[]::new));
        Map<String, INDArray> aux = new HashMap<>(), probes = new HashMap<>();
        ctx.auxiliaries().forEach((n, v) -> aux.put(n, got.get(v.name())));
        ctx.probes().forEach((n, v) -> probes.put(n, got.get(v.name())));
        assertEquals(inference ? java.util.Set.of() : names(moe.sideOutputs(args), SideOutput.Role.AUX), aux.keySet(),
                "emitted aux = declared aux, none at inference");
        assertEquals(names(moe.sideOutputs(args), SideOutput.Role.PROBE), probes.keySet(), "emitted probes = declared");
        return new Pass(got.get(out.name()), params, aux, probes);
    }

    static java.util.Set<String> names(List<SideOutput> outs, SideOutput.Role role) {
        return outs.stream().filter(o -> o.role() == role).map(SideOutput::name).collect(java.util.stream.Collectors.toSet());
    }

    // ---------------------------------------------------------------- the plain reference

    /** What the reference decides for one group: assignments[e] = its tokens in slot order, gate[s][e], output. */
    record Reference(List<List<Integer>> assignments, double[][] gates, double[][] out, double balance, double zloss,
                     int wanted, int kept, double[] demand, double confidence) {}

    static Reference reference(double[][] x, Map<String, INDArray> p, String router, int k, double factor) {
        int s = x.length;
        double[][] wr = Plain.matrix(p.get("router"));
        double[][] z = Plain.matmul(x, wr);
        double[][] prob = new double[s][E];
        double zloss = 0, confidence = 0;
        for (int i = 0; i < s; i++) {
            double max = Arrays.stream(z[i]).max().orElseThrow(), sum = 0;
            for (int e = 0; e < E; e++) sum += Math.exp(z[i][e] - max);
            for (int e = 0; e < E; e++) prob[i][e] = Math.exp(z[i][e] - max) / sum;
            double lse = max + Math.log(sum);
            zloss += lse * lse / s;
            confidence += Arrays.stream(prob[i]).max().orElseThrow() / s;
        }
        List<List<Integer>> slots = new ArrayList<>();
        for (int e = 0; e < E; e++) slots.add(new ArrayList<>());
        double[][] gate = new double[s][E];
        double[] demand = new double[E];
        double balance = 0;
        int wanted = 0, kept = 0;
        if (router.equals("token")) {
            int c = (int) Math.min(s, Math.ceil(k * factor * s / E - 1e-9));
            int[][] choice = new int[s][];
            for (int i = 0; i < s; i++) {
                final int row = i;
                choice[i] = IntStream.range(0, E).boxed().sorted(Comparator.comparingDouble(e -> -prob[row][e]))
                        .limit(k).mapToInt(Integer::intValue).toArray();
            }
            for (int j = 0; j < k; j++) {                      // all first choices before any second one
                for (int i = 0; i < s; i++) {
                    int e = choice[i][j];
                    demand[e]++;
                    wanted++;
                    if (slots.get(e).size() < c) {
                        slots.get(e).add(i);
                        kept++;
                        double norm = 0;
                        for (int q : choice[i]) norm += prob[i][q];
                        gate[i][e] = k == 1 ? prob[i][e] : prob[i][e] / (norm + 1e-9);
                    }
                }
            }
            double[] f = new double[E], pm = new double[E];
            for (int i = 0; i < s; i++) {
                f[choice[i][0]] += 1.0 / s;
                for (int e = 0; e < E; e++) pm[e] += prob[i][e] / s;
            }
            for (int e = 0; e < E; e++) balance += E * f[e] * pm[e];
        } else {
            int c = (int) Math.min(s, Math.ceil(factor * s / E - 1e-9));
            for (int e = 0; e < E; e++) {
                final int ex = e;
                IntStream.range(0, s).boxed().sorted(Comparator.comparingDouble(i -> -prob[i][ex])).limit(c)
                        .forEach(i -> {
                            slots.get(ex).add(i);
                            gate[i][ex] = prob[i][ex];
                        });
                demand[e] = c;
                wanted += c;
                kept += c;
            }
        }
        double[][] w1 = Plain.matrix(p.get("W1").reshape(E * D, H)), w2 = Plain.matrix(p.get("W2").reshape(E * H, D));
        double[] b1 = Plain.flat(p.get("b1")), b2 = Plain.flat(p.get("b2"));
        double[][] out = new double[s][D];
        for (int e = 0; e < E; e++) {
            for (int i : slots.get(e)) {
                double[] hid = new double[H];
                for (int j = 0; j < H; j++) {
                    double a = b1[e * H + j];
                    for (int q = 0; q < D; q++) a += x[i][q] * w1[e * D + q][j];
                    hid[j] = Math.max(0, a);
                }
                for (int q = 0; q < D; q++) {
                    double y = b2[e * D + q];
                    for (int j = 0; j < H; j++) y += hid[j] * w2[e * H + j][q];
                    out[i][q] += gate[i][e] * y;
                }
            }
        }
        return new Reference(slots, gate, out, balance, zloss, wanted, kept, demand, confidence);
    }

    static double[][] example(INDArray x, int b) {
        double[] flat = Plain.flat(x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)));
        double[][] rows = new double[T][];
        for (int t = 0; t < T; t++) rows[t] = Plain.row(flat, t, D);
        return rows;
    }

    // ---------------------------------------------------------------- the tests

    @ParameterizedTest
    @ValueSource(strings = {"token k1", "token k2", "token k3", "expert 1", "expert 2", "expert 0.5"})
    void forwardMatchesPlainRouting(String setting) {
        String[] parts = setting.split(" ");
        boolean token = parts[0].equals("token");
        // capacity 0.75 makes experts overflow, so the drop order matters
        int k = token ? Integer.parseInt(parts[1].substring(1)) : 0;
        double factor = token ? 0.75 : Double.parseDouble(parts[1]);
        Value.Call route = token ? tokenChoice(k, factor, 2.0) : expertChoice(factor);
        Args args = LayerHarness.bind(new MixtureOfExperts(), "experts", E, "hidden", H, "activation", "relu", "route", route);
        INDArray x = Plain.random(11, B, T, D).mul(3);
        Pass pass = forward(args, x, false, 7);
        double balance = 0, zloss = 0, wanted = 0, kept = 0, confidence = 0, unrouted = 0, perToken = 0;
        double[] demand = new double[E];
        for (int b = 0; b < B; b++) {
            Reference ref = reference(example(x, b), pass.params(), parts[0], k, factor);
            Plain.assertClose(Plain.concat(ref.out()), pass.out().get(org.nd4j.linalg.indexing.NDArrayIndex.point(b)), 1e-9);
            balance += ref.balance() / B;
            zloss += ref.zloss() / B;
            confidence += ref.confidence() / B;
            wanted += ref.wanted();
            kept += ref.kept();
            for (int e = 0; e < E; e++) demand[e] += ref.demand()[e];
            for (int i = 0; i < T; i++) {
                final int tok = i;
                long experts = ref.assignments().stream().filter(l -> l.contains(tok)).count();
                perToken += experts / (double) (B * T);
                if (experts == 0) unrouted += 1.0 / (B * T);
            }
        }
        if (token) {
            assertEquals(balance, pass.aux().get("balance").getDouble(0), 1e-9);
            assertEquals(1 - kept / wanted, pass.probes().get("dropped").getDouble(0), 1e-9);
            assertTrue(kept < wanted, "the test should make experts overflow");
        }
        assertEquals(zloss, pass.aux().get("zloss").getDouble(0), 1e-9);
        double total = Arrays.stream(demand).sum(), max = Arrays.stream(demand).max().orElseThrow();
        Plain.assertClose(Arrays.stream(demand).map(v -> v / total).toArray(), pass.probes().get("load"), 1e-12);
        assertEquals(max / (total / E), pass.probes().get("maxMeanLoad").getDouble(0), 1e-12);
        assertEquals(unrouted, pass.probes().get("unrouted").getDouble(0), 1e-12);
        assertEquals(perToken, pass.probes().get("expertsPerToken").getDouble(0), 1e-12);
        assertEquals(confidence, pass.probes().get("routerConfidence").getDouble(0), 1e-12);
    }

    /** The routers alone on fixed probabilities: the exact slots, and drops in priority order. */
    @Test
    void tokenChoiceFillsSlotsFirstChoicesFirstAndDropsTheRest() {
        // 6 tokens, 3 experts, k = 2, capacity 0.5 → C = ⌈2·0.5·6/3⌉ = 2 slots per expert
        double[][] p = {
                {0.6, 0.3, 0.1}, {0.5, 0.1, 0.4}, {0.2, 0.7, 0.1}, {0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}, {0.35, 0.45, 0.2}};
        INDArray dispatch = routeFixed(new TokenChoiceRouter(), tokenChoice(2, 0.5, 0.5), p, 2);
        // first choices in token order: e0 ← t0, t1, t3(full: dropped); e1 ← t2, t5; e2 ← t4
        // second choices: t0→e1 (full), t1→e2 (slot 1), t2→e0 (full), t3→e1 (full), t4→e1 (full), t5→e0 (full)
        assertEquals(List.of(List.of(0, 1), List.of(2, 5), List.of(4, 1)), slots(dispatch, 3, 2));
    }

    @Test
    void expertChoiceTakesEachExpertsTopTokens() {
        double[][] p = {
                {0.6, 0.3, 0.1}, {0.5, 0.1, 0.4}, {0.2, 0.7, 0.1}, {0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}, {0.35, 0.45, 0.2}};
        // k = 1: C = 2 tokens per expert, by descending score
        INDArray dispatch = routeFixed(new ExpertChoiceRouter(), expertChoice(1), p, 2);
        List<List<Integer>> got = slots(dispatch, 3, 2);
        assertEquals(List.of(java.util.Set.of(3, 0), java.util.Set.of(2, 5), java.util.Set.of(4, 1)),
                got.stream().map(java.util.Set::copyOf).toList());
    }

    private static INDArray routeFixed(Router router, Value.Call call, double[][] p, int capacity) {
        SameDiff sd = SameDiff.create();
        int s = p.length, e = p[0].length;
        INDArray probs = Nd4j.createFromArray(p).reshape(1, s, e);
        SDVariable pv = sd.constant("p", probs);
        Args args = LayerHarness.bind(new MixtureOfExperts(), "experts", e, "route", call);
        Shape shape = Shape.batch(DType.FLOAT, s, 1);
        ScopedLowering ctx = new ScopedLowering(sd, "r", shape, shape, 1, DataType.DOUBLE, sd.constant(1.0), false);
        Router.Routing r = router.route(ctx, MixtureOfExperts.routeArgs(args), sd.math.log(pv), pv, s, e, capacity);
        return r.dispatch().eval();
    }

    /** From a dispatch [1, E, C, S]: for each expert, the token in each filled slot, in slot order. */
    private static List<List<Integer>> slots(INDArray dispatch, int e, int c) {
        List<List<Integer>> out = new ArrayList<>();
        for (int ex = 0; ex < e; ex++) {
            List<Integer> tokens = new ArrayList<>();
            for (int slot = 0; slot < c; slot++) {
                for (int s = 0; s < dispatch.size(3); s++) if (dispatch.getDouble(0, ex, slot, s) == 1) tokens.add(s);
            }
            out.add(tokens);
        }
        return out;
    }

    @Test
    void expertChoiceLoadIsExactlyEqualOnEveryBatch() {
        Args args = LayerHarness.bind(new MixtureOfExperts(), "experts", E, "hidden", H, "route", expertChoice(2));
        for (long seed = 0; seed < 5; seed++) {
            Pass pass = forward(args, Plain.random(seed, B, T, D).mul(5), false, seed);
            assertEquals(1.0, pass.probes().get("maxMeanLoad").getDouble(0), 0.0);
            Plain.assertClose(new double[] {0.25, 0.25, 0.25, 0.25}, pass.probes().get("load"), 0.0);
            assertEquals(2.0, pass.probes().get("expertsPerToken").getDouble(0), 1e-12);
        }
    }

    @Test
    void evaluationGraphUsesItsOwnCapacity() {
        // training capacity 0.25 → C = 1 slot per expert; evaluation 2.0 → C = 8 (= S): nothing dropped
        Args args = LayerHarness.bind(new MixtureOfExperts(), "experts", E, "hidden", H, "route", tokenChoice(2, 0.25, 2.0));
        INDArray x = Plain.random(3, B, T, D);
        assertEquals(1 - 1.0 * E * B / (2 * B * T), forward(args, x, false, 1).probes().get("dropped").getDouble(0), 1e-12);
        assertEquals(0.0, forward(args, x, true, 1).probes().get("dropped").getDouble(0), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "expert"})
    void gradientsOfRouterAndExpertsMatchFiniteDifferences(String router) {
        Value.Call route = router.equals("token") ? tokenChoice(2, 1.0, 1.0) : expertChoice(2);
        String activation = router.equals("token") ? "swiglu" : "gelu";
        var h = LayerHarness.of(new MixtureOfExperts(), "experts", E, "hidden", H, "activation", activation, "route", route).input(IN);
        h.checkGradients(Plain.random(5, B, T, D));
    }

    /**
     * d aux.balance / d router and d aux.zloss / d router from SameDiff against central differences of the plain
     * reference: the balance gradient is what keeps token choice from collapsing onto one expert.
     */
    @ParameterizedTest
    @ValueSource(strings = {"balance", "zloss"})
    void auxiliaryLossGradientsReachTheRouterAsTheReferenceSays(String term) {
        Args args = LayerHarness.bind(new MixtureOfExperts(), "experts", E, "hidden", H, "activation", "relu",
                "route", tokenChoice(2, 1.0, 1.0));
        INDArray x = Plain.random(13, B, T, D).mul(3);
        MixtureOfExperts moe = new MixtureOfExperts();
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.DOUBLE, -1, T, D);
        ScopedLowering ctx = new ScopedLowering(sd, "moe", IN, IN, 3, DataType.DOUBLE, sd.constant(1.0), false);
        moe.lower(ctx, args, in, Map.of());
        SplittableRandom rng = new SplittableRandom(3);
        Map<String, INDArray> params = new HashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                v.setArray(Plain.random(rng, v.getShape()));
                params.put(v.name().substring(4), v.getArr());
            }
        }
        SDVariable loss = ctx.auxiliaries().get(term);
        loss.markAsLoss();
        INDArray grad = LayerHarness.quietly(() -> sd.calculateGradients(Map.of("input", x), "moe/router")).get("moe/router");
        INDArray router = params.get("router");
        double h = 1e-6;
        for (long i = 0; i < router.length(); i++) {
            double orig = router.getDouble(i);
            router.putScalar(i, orig + h);
            double up = referenceAux(x, params, term);
            router.putScalar(i, orig - h);
            double down = referenceAux(x, params, term);
            router.putScalar(i, orig);
            assertEquals((up - down) / (2 * h), grad.getDouble(i), 1e-6, term + " gradient at router[" + i + "]");
        }
        assertTrue(grad.norm2Number().doubleValue() > 1e-3, "the " + term + " gradient should not vanish");
    }

    private static double referenceAux(INDArray x, Map<String, INDArray> params, String term) {
        double sum = 0;
        for (int b = 0; b < B; b++) {
            Reference ref = reference(example(x, b), params, "token", 2, 1.0);
            sum += (term.equals("balance") ? ref.balance() : ref.zloss()) / B;
        }
        return sum;
    }

    @Test
    void shapeRuleAndCost() throws Exception {
        var h = LayerHarness.of(new MixtureOfExperts(), "experts", 8, "route", tokenChoice(2, 1.0, 2.0)).input(IN);
        assertEquals(IN, h.outputShape());
        long expert = D * 12 + 12 + 12 * D + D;                  // hidden defaults to 4·d = 12
        assertEquals(D * 8 + 8 * expert, h.cost().params());
        assertEquals(D * 8 + 2 * expert, h.cost().activeParams());
        var ec = LayerHarness.of(new MixtureOfExperts(), "experts", 8, "route", expertChoice(0.5)).input(IN);
        assertEquals(D * 8 + Math.round(0.5 * expert), ec.cost().activeParams());
        ShapeException bigK = assertThrows(ShapeException.class,
                () -> LayerHarness.of(new MixtureOfExperts(), "experts", 2, "route", tokenChoice(3, 1.0, 1.0)).input(IN).outputShape());
        assertTrue(bigK.getMessage().contains("k = 3"), bigK.getMessage());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new MixtureOfExperts(), "experts", 2, "group", 3).input(IN).outputShape());
        assertThrows(ShapeException.class,
                () -> LayerHarness.of(new MixtureOfExperts(), "experts", 2).input(Shape.batch(DType.FLOAT, 4)).outputShape());
    }
}
