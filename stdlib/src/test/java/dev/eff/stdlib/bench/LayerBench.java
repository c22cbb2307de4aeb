package dev.eff.stdlib.bench;

import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.ScopedLowering;
import dev.eff.stdlib.layers.Activation;
import dev.eff.stdlib.layers.LayerNorm;
import dev.eff.stdlib.layers.MixtureOfExperts;
import dev.eff.stdlib.layers.Mlp;
import dev.eff.stdlib.layers.SoftmaxAttention;
import dev.eff.stdlib.testing.LayerHarness;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward+backward timings (FLOAT, wall and process CPU time, median of 5 after 2 warm-ups, or -Dreps=N;
 * candidates interleaved round by round, a GC before each) behind the lowering choices for GELU, layer norm and the bias add, and of the attention block at B16 T128 d256 h4.
 * Forward-only candidates time one inference call (the mean of 50 in a round).
 * Not a test; run with {@code stdlib/bench.sh LayerBench [gelu|norm|bias|qkv|attention|ranks|moe|moeparts]...}
 * ({@code BENCH_OPTS=-Dreps=9} for more samples).
 */
public final class LayerBench {

    private static final int WARMUP = 2, REPS = Integer.getInteger("reps", 5);

    public static void main(String[] args) {
        double c = Math.sqrt(2 / Math.PI);
        boolean all = args.length == 0;
        List<String> only = Arrays.asList(args);
        Map<String, Step> gelu = new LinkedHashMap<>();
        gelu.put("gelu: eff activation(gelu) (exact, erf form)", component(new Activation(), new long[] {2048, 1024}, "function", "gelu"));
        gelu.put("gelu: sd.nn.preciseGelu (no cubic term: wrong)", op(new long[] {2048, 1024}, (sd, x) -> sd.nn.preciseGelu(x)));
        gelu.put("gelu: sd.nn.gelu (sigmoid approximation)", op(new long[] {2048, 1024}, (sd, x) -> sd.nn.gelu(x)));
        gelu.put("gelu: tanh form composed as x*sigmoid(2c(x+0.044715x^3))", op(new long[] {2048, 1024},
                (sd, x) -> x.mul(sd.nn.sigmoid(x.mul(sd.math.square(x).mul(2 * c * 0.044715).add(2 * c))))));
        gelu.put("gelu: exact, erfc form 0.5x·erfc(-x/√2) (4 ops)", op(new long[] {2048, 1024},
                (sd, x) -> x.mul(0.5).mul(sd.math.erfc(x.mul(-1 / Math.sqrt(2))))));
        gelu.put("gelu: exact, h + h·erf(x/√2) with h = x/2", op(new long[] {2048, 1024}, (sd, x) -> {
            SDVariable h = x.mul(0.5);
            return h.add(h.mul(sd.math.erf(x.mul(1 / Math.sqrt(2)))));
        }));
        gelu.put("relu (for scale)", op(new long[] {2048, 1024}, (sd, x) -> sd.nn.relu(x, 0)));
        if (all || only.contains("gelu")) report(gelu);

        Map<String, Step> norm = new LinkedHashMap<>();
        norm.put("layerNorm: eff layerNorm (composed, honours eps)", component(new LayerNorm(), new long[] {16, 128, 256}));
        norm.put("layerNorm: sd.nn.layerNorm (built-in)", op(new long[] {16, 128, 256}, (sd, x) -> sd.nn.layerNorm(x,
                sd.var("g", Nd4j.ones(DataType.FLOAT, 256)), sd.var("b", Nd4j.zeros(DataType.FLOAT, 256)), false, 2)));
        norm.put("layerNorm: composed, unbiased sd.variance·(n-1)/n", op(new long[] {16, 128, 256}, (sd, x) -> x.sub(sd.mean(x, true, 2))
                .mul(sd.math.rsqrt(sd.variance(x, true, true, 2).mul(255.0 / 256).add(1e-5)))
                .mul(sd.var("g", Nd4j.ones(DataType.FLOAT, 256))).add(sd.var("b", Nd4j.zeros(DataType.FLOAT, 256)))));
        norm.put("layerNorm: composed with sd.math.moments", op(new long[] {16, 128, 256}, (sd, x) -> {
            SDVariable[] m = sd.math.moments(x, new int[] {2}, true);
            return x.sub(m[0]).mul(sd.math.rsqrt(m[1].add(1e-5)))
                    .mul(sd.var("g", Nd4j.ones(DataType.FLOAT, 256))).add(sd.var("b", Nd4j.zeros(DataType.FLOAT, 256)));
        }));
        norm.put("layerNorm: composed, gain and bias as ones·gᵀ, ones·bᵀ (K = 1 matmuls)", op(new long[] {16, 128, 256}, (sd, x) -> {
            SDVariable normed = x.sub(sd.mean(x, true, 2)).mul(sd.math.rsqrt(sd.variance(x, true, true, 2).mul(255.0 / 256).add(1e-5)));
            SDVariable ones = sd.onesLike(sd.mean(x, true, 2)).reshape(-1, 1);
            SDVariable g = sd.var("g", Nd4j.ones(DataType.FLOAT, 1, 256)), b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, 256));
            return normed.mul(ones.mmul(g).reshape(sd.shape(x))).add(ones.mmul(b).reshape(sd.shape(x)));
        }));
        norm.put("layerNorm: composed, every broadcast as a K = 1 matmul (statistics·onesᵀ, ones·gᵀ, ones·bᵀ)", op(new long[] {16, 128, 256}, (sd, x) -> {
            SDVariable flat = x.reshape(-1, 256);
            SDVariable onesRow = sd.constant(Nd4j.ones(DataType.FLOAT, 1, 256));
            SDVariable mean = sd.mean(flat, true, 1), inv = sd.math.rsqrt(sd.variance(flat, true, true, 1).mul(255.0 / 256).add(1e-5));
            SDVariable ones = sd.onesLike(mean);
            SDVariable g = sd.var("g", Nd4j.ones(DataType.FLOAT, 1, 256)), b = sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, 256));
            SDVariable y = flat.sub(mean.mmul(onesRow)).mul(inv.mmul(onesRow)).mul(ones.mmul(g)).add(ones.mmul(b));
            return y.reshape(sd.shape(x));
        }));
        if (all || only.contains("norm")) report(norm);

        Map<String, Step> bias = new LinkedHashMap<>();
        bias.put("bias: x·W then sd.nn.biasAdd (eff projections) [2048,256]x[256,1024]", op(new long[] {2048, 256},
                (sd, x) -> sd.nn.biasAdd(x.mmul(sd.var("W", Nd4j.randn(DataType.FLOAT, 256, 1024))),
                        sd.var("b", Nd4j.zeros(DataType.FLOAT, 1024)), false)));
        bias.put("bias: x·W then broadcast add", op(new long[] {2048, 256},
                (sd, x) -> x.mmul(sd.var("W", Nd4j.randn(DataType.FLOAT, 256, 1024))).add(sd.var("b", Nd4j.zeros(DataType.FLOAT, 1024)))));
        bias.put("bias: x·W then + ones·bᵀ (a K = 1 matmul)", op(new long[] {2048, 256}, (sd, x) -> {
            SDVariable ones = sd.onesLike(sd.mean(x, true, 1));
            return x.mmul(sd.var("W", Nd4j.randn(DataType.FLOAT, 256, 1024))).add(ones.mmul(sd.var("b", Nd4j.zeros(DataType.FLOAT, 1, 1024))));
        }));
        if (all || only.contains("bias")) report(bias);

        Map<String, Step> qkv = new LinkedHashMap<>();
        qkv.put("qkv heads: reshape [B,T,3,h,dh], permute to [3,B,h,T,dh], unstack (eff)", heads(
                (sd, x) -> sd.unstack(x.reshape(-1, 128, 3, 4, 64).permute(2, 0, 3, 1, 4), 0, 3)));
        qkv.put("qkv heads: reshape [B,T,3h,dh], permute to [B,3h,T,dh], split", heads(
                (sd, x) -> sd.split(x.reshape(-1, 128, 12, 64).permute(0, 2, 1, 3), 3, 1)));
        qkv.put("qkv heads: split [B·T,3d] columns, reshape+permute each", heads((sd, x) -> Arrays.stream(sd.split(x, 3, 1))
                .map(v -> v.reshape(-1, 128, 4, 64).permute(0, 2, 1, 3)).toArray(SDVariable[]::new)));
        if (all || only.contains("qkv")) report(qkv);

        Map<String, Step> attention = new LinkedHashMap<>();
        attention.put("attention(softmax, heads=4, causal=true) B16 T128 d256",
                component(new SoftmaxAttention(), new long[] {16, 128, 256}, "heads", 4, "causal", true));
        attention.put("attention(softmax, heads=4, causal=false) B16 T128 d256",
                component(new SoftmaxAttention(), new long[] {16, 128, 256}, "heads", 4));
        if (all || only.contains("attention")) report(attention);

        // the products of softmax attention on heads [B, h, T, dh] (main before) against [B·h, T, dh], from q/k/v rows
        Map<String, Step> ranks = new LinkedHashMap<>();
        ranks.put("attention core, rank-4 matmuls [16,4,128,64], fwd+bwd", op(new long[] {16 * 128, 3 * 256}, (sd, x) -> attentionCore(sd, x, 128, false)));
        ranks.put("attention core, rank-3 matmuls [64,128,64], fwd+bwd", op(new long[] {16 * 128, 3 * 256}, (sd, x) -> attentionCore(sd, x, 128, true)));
        ranks.put("attention core, rank-4, T512 fwd+bwd", op(new long[] {16 * 512, 3 * 256}, (sd, x) -> attentionCore(sd, x, 512, false)));
        ranks.put("attention core, rank-3, T512 fwd+bwd", op(new long[] {16 * 512, 3 * 256}, (sd, x) -> attentionCore(sd, x, 512, true)));
        ranks.put("attention core, rank-4, B1 T128 forward only", forward(new long[] {128, 3 * 256}, (sd, x) -> attentionCore(sd, x, 128, false)));
        ranks.put("attention core, rank-3, B1 T128 forward only", forward(new long[] {128, 3 * 256}, (sd, x) -> attentionCore(sd, x, 128, true)));
        ranks.put("attention(softmax, heads=4, causal=true) B1 T128 inference graph, forward", forward(new long[] {1, 128, 256},
                (sd, x) -> lowered(sd, x, new SoftmaxAttention(), new long[] {1, 128, 256}, true, "heads", 4, "causal", true)));
        if (all || only.contains("ranks")) report(ranks);

        // the feed-forward block of MoeBench: dense hidden 512 vs 16 experts of hidden 256 (equal active parameters)
        Map<String, Step> moe = new LinkedHashMap<>();
        long[] tokens = {32, 64, 128};
        moe.put("mlp(hidden = 512) B32 T64 d128", component(new Mlp(), tokens, "hidden", 512));
        moe.put("moe(16, hidden = 256, tokenChoice(k = 2, capacity = 2.0))", component(new MixtureOfExperts(), tokens,
                "experts", 16, "hidden", 256, "route", call("tokenChoice", "capacity", 2.0)));
        moe.put("moe(16, hidden = 256, tokenChoice(k = 2, capacity = 1.25))", component(new MixtureOfExperts(), tokens,
                "experts", 16, "hidden", 256, "route", call("tokenChoice", "capacity", 1.25)));
        moe.put("moe(16, hidden = 256, expertChoice(k = 2))", component(new MixtureOfExperts(), tokens,
                "experts", 16, "hidden", 256, "route", call("expertChoice", "k", 2.0)));
        if (all || only.contains("moe")) report(moe);

        // the pieces of the expert-choice block (E16, groups of S64, C8, d128, h256) and their alternative lowerings
        long e = 16, g = 32, s = 64, slots = 8, d = 128, h = 256, n = g * slots;
        Map<String, Step> parts = new LinkedHashMap<>();
        parts.put("dense mlp as two 2-D matmuls [2048,128]·[128,512]·[512,128] (scale)", op(new long[] {2048, 128},
                (sd, x) -> sd.nn.relu(x.mmul(sd.var("W1", Nd4j.randn(DataType.FLOAT, 128, 512))), 0)
                        .mmul(sd.var("W2", Nd4j.randn(DataType.FLOAT, 512, 128)))));
        parts.put("experts: batched matmuls [16,256,128]·[16,128,256]·[16,256,128]", op(new long[] {e, n, d},
                (sd, x) -> sd.mmul(sd.nn.relu(sd.mmul(x, sd.var("W1", Nd4j.randn(DataType.FLOAT, e, d, h))), 0),
                        sd.var("W2", Nd4j.randn(DataType.FLOAT, e, h, d)))));
        parts.put("experts: unstack, 16 2-D matmul pairs, stack", op(new long[] {e, n, d}, (sd, x) -> {
            SDVariable[] xs = sd.unstack(x, 0, (int) e);
            SDVariable[] w1 = sd.unstack(sd.var("W1", Nd4j.randn(DataType.FLOAT, e, d, h)), 0, (int) e);
            SDVariable[] w2 = sd.unstack(sd.var("W2", Nd4j.randn(DataType.FLOAT, e, h, d)), 0, (int) e);
            SDVariable[] ys = new SDVariable[(int) e];
            for (int i = 0; i < e; i++) ys[i] = sd.nn.relu(xs[i].mmul(w1[i]), 0).mmul(w2[i]);
            return sd.stack(0, ys);
        }));
        org.nd4j.linalg.api.ndarray.INDArray dispatch = Nd4j.zeros(DataType.FLOAT, g, e * slots, s);
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < g; i++) for (int j = 0; j < e * slots; j++) dispatch.putScalar(new long[] {i, j, rnd.nextInt((int) s)}, 1f);
        parts.put("dispatch D·x [32,128,64]·[32,64,128], combine Dᵀ·y (transpose flag)", op(new long[] {g, s, d},
                (sd, x) -> sd.mmul(sd.constant(dispatch), sd.mmul(sd.constant(dispatch), x).mul(sd.var("y", Nd4j.rand(DataType.FLOAT, g, e * slots, d))),
                        true, false, false)));
        parts.put("dispatch D·x, combine with a pre-transposed constant Dᵀ", op(new long[] {g, s, d},
                (sd, x) -> sd.mmul(sd.constant(dispatch.permute(0, 2, 1).dup()),
                        sd.mmul(sd.constant(dispatch), x).mul(sd.var("y", Nd4j.rand(DataType.FLOAT, g, e * slots, d))))));
        parts.put("slot gates: batched mat-vec [512,8,64]·[512,64,1]", op(new long[] {g * e, s, 1},
                (sd, p) -> sd.mmul(sd.constant(dispatch.reshape(g * e, slots, s)), p)));
        parts.put("slot gates: broadcast multiply and sum over S", op(new long[] {g * e, 1, s},
                (sd, p) -> sd.sum(sd.constant(dispatch.reshape(g * e, slots, s)).mul(p), 2)));
        if (all || only.contains("moeparts")) report(parts);
    }

    private static dev.eff.dsl.check.Value.Call call(String router, String param, double value) {
        return new dev.eff.dsl.check.Value.Call(router, Map.of(param, new dev.eff.dsl.check.Value.Float(value)), null);
    }

    /** One forward+backward pass; returns {wall ms, process CPU ms}. */
    private interface Step {
        double[] run();
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static void report(Map<String, Step> candidates) {
        Map<String, List<double[]>> times = new LinkedHashMap<>();
        for (int round = 0; round < WARMUP + REPS; round++) {
            for (var e : candidates.entrySet()) {
                System.gc();
                double[] ms = e.getValue().run();
                if (round >= WARMUP) times.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ms);
            }
        }
        for (var e : times.entrySet()) {
            double[] wall = e.getValue().stream().mapToDouble(t -> t[0]).sorted().toArray();
            double[] cpu = e.getValue().stream().mapToDouble(t -> t[1]).sorted().toArray();
            System.out.printf("%-66s wall median %7.1f ms (min %6.1f)   cpu median %7.1f ms%n", e.getKey(),
                    wall[wall.length / 2], wall[0], cpu[cpu.length / 2]);
        }
    }

    private static Step component(Layer layer, long[] shape, Object... args) {
        return op(shape, (sd, x) -> lowered(sd, x, layer, shape, false, args));
    }

    /** {@code layer} lowered into {@code sd} on {@code x}, into a training or an inference graph. */
    private static SDVariable lowered(SameDiff sd, SDVariable x, Layer layer, long[] shape, boolean inference, Object... args) {
        var bound = LayerHarness.bind(layer, args);
        Shape in = Shape.batch(DType.FLOAT, Arrays.copyOfRange(shape, 1, shape.length));
        try {
            Shape out = layer.outputShape(bound, in, Map.of());
            return layer.lower(new ScopedLowering(sd, "bench", in, out, 1, DataType.FLOAT,
                    sd.constant("training", Nd4j.scalar(DataType.FLOAT, inference ? 0f : 1f)), inference), bound, x, Map.of());
        } catch (dev.eff.dsl.check.ShapeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Causal softmax attention of 4 heads from fused q/k/v rows [B·T, 768]: the heads split as in AttentionHeads, the
     * products on [B, h, T, dh] or, with {@code rank3}, on [B·h, T, dh]; merged back to rows [B·T, 256].
     */
    private static SDVariable attentionCore(SameDiff sd, SDVariable rows, int t, boolean rank3) {
        long h = 4, dh = 64;
        SDVariable[] p = sd.unstack(rows.reshape(-1, t, 3, h, dh).permute(2, 0, 3, 1, 4), 0, 3);
        SDVariable q = p[0].mul(0.125), k = p[1], v = p[2];
        if (rank3) {
            q = q.reshape(-1, t, dh);
            k = k.reshape(-1, t, dh);
            v = v.reshape(-1, t, dh);
        }
        float[][] mask = new float[t][t];
        for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) mask[i][j] = -1e9f;
        SDVariable weights = sd.nn.softmax(sd.mmul(q, k, false, true, false).add(sd.constant(Nd4j.createFromArray(mask))), -1);
        return sd.mmul(weights, v).reshape(-1, h, t, dh).permute(0, 2, 1, 3).reshape(-1, h * dh);
    }

    /** One forward pass (an inference call); returns {wall ms, process CPU ms}. */
    private static Step forward(long[] shape, BiFunction<SameDiff, SDVariable, SDVariable> build) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, shape));
        String out = build.apply(sd, x).name();
        int calls = 50;
        return () -> {
            long cpu = OS.getProcessCpuTime(), start = System.nanoTime();
            for (int i = 0; i < calls; i++) sd.output(Map.of(), out);
            return new double[] {(System.nanoTime() - start) / 1e6 / calls, (OS.getProcessCpuTime() - cpu) / 1e6 / calls};
        };
    }

    /** Splitting a fused [B·T, 3d] projection (B16 T128 d256 h4) into q, k, v heads, then softmax-free q·kᵀ·v. */
    private static Step heads(BiFunction<SameDiff, SDVariable, SDVariable[]> split) {
        return op(new long[] {16 * 128, 3 * 256}, (sd, x) -> {
            SDVariable[] p = split.apply(sd, x);
            return sd.mmul(sd.mmul(p[0], p[1], false, true, false), p[2]);
        });
    }

    private static Step op(long[] shape, BiFunction<SameDiff, SDVariable, SDVariable> build) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.randn(DataType.FLOAT, shape));
        sd.sum(build.apply(sd, x)).markAsLoss();
        String[] wrt = sd.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).toArray(String[]::new);
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
        return () -> {
            long cpu = OS.getProcessCpuTime(), start = System.nanoTime();
            sd.calculateGradients(Map.of(), wrt);
            return new double[] {(System.nanoTime() - start) / 1e6, (OS.getProcessCpuTime() - cpu) / 1e6};
        };
    }
}
