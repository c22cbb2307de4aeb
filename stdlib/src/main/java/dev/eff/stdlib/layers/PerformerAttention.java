package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Performer attention (Choromanski et al. 2021): softmax attention approximated with random features φ so
 * that exp(q·k/√dh) ≈ φ(q)·φ(k) and attention becomes φ(Q)·(φ(K)ᵀV) normalised by φ(Q)·Σφ(K), linear in T.
 *
 * <ul>
 *   <li>{@code positive} (FAVOR+): φ(x) = exp(ωᵀx − ‖x‖²/2) over orthogonal Gaussian ω, unbiased and positive.
 *   <li>{@code favorpp} (FAVOR++, the optimal positive random features of Likhosherstov et al. 2022):
 *       φ(x) = exp(A‖ω‖² + B·ωᵀx − ‖x‖²/2) with B = √(1−4A) and A ≤ 0 chosen per example and head to minimise
 *       the variance from the statistics of q and k; A &lt; 0 makes the features bounded in ω. The constant factor (1−4A)^{d/4} cancels in the normalised
 *       output and is dropped.
 *   <li>{@code relu}: φ(x) = ReLU(ωᵀx) + 10⁻³, the "generalized attention" of the same paper; not an estimate
 *       of softmax, often as good in practice.
 * </ul>
 *
 * x = q/dh^{1/4} and y = k/dh^{1/4}, so exp(xᵀy) = exp(q·k/√dh). The 1/√m factor cancels between numerator and
 * denominator and is dropped. Stabilisers (they cancel exactly too): each query's features are divided by
 * their largest, keys' by the largest over all keys of that example and head — one constant, as a per-key one
 * would bias the attention. Causal attention is a prefix sum computed in chunks of c positions: within a chunk
 * the masked c×c product, across chunks an exclusive prefix sum of the chunk states φ(K_c)ᵀV_c, so memory
 * is O(T/c·m·dh) per head rather than O(T·m·dh) for a plain cumulative sum over positions. ω is one [m, dh] matrix shared by
 * heads, drawn from the model seed and the layer's place in the model: a state buffer, never trained nor
 * decayed, redrawn every {@code redraw} training steps from that seed and the step.
 */
@AutoService(Component.class)
public final class PerformerAttention implements Layer {

    /** The feature maps, by the word a script writes. */
    enum Kernel {
        POSITIVE, FAVORPP, RELU;

        static Kernel of(String word) { return valueOf(word.toUpperCase(Locale.ROOT)); }
    }

    /** Added to every positive feature so a denominator can never be exactly 0 (the reference's stabiliser). */
    static final double POSITIVE_EPS = 1e-6;
    /** The ReLU kernel's floor, as in the reference generalized attention. */
    static final double RELU_EPS = 1e-3;

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "attention", "performer",
            "Performer self-attention over [B, T, d]: softmax attention approximated with m random features per head, "
                    + "O(T·m·d) instead of O(T²·d); causal by chunked prefix sums. Same parameters as attention(softmax).",
            AttentionHeads.params(
                    Param.of("features", Type.positive(), 128, "random features m per head; the error falls as m grows"),
                    Param.choice("kernel", "positive (FAVOR+), favorpp (FAVOR++: optimal positive and bounded features, "
                            + "lower variance) or relu (ReLU features)", "positive", "favorpp", "relu"),
                    Param.of("redraw", Type.atLeast(0), 1000, "draw new random features every this many training "
                            + "steps (0: never); evaluation uses the latest draw"),
                    Param.of("decay", new Type.Real(0, Double.POSITIVE_INFINITY, false), 0.0, "causal only: relative-position "
                            + "decay λ, weighting key j for query i by exp(−λ·(i − j)) (a Toeplitz mask, still linear in T); 0: none"),
                    Param.of("chunk", Type.positive(), 64, "causal only: prefix sums run over chunks of this many "
                            + "positions (the largest divisor of T up to it); longer chunks do more work, shorter ones keep more state")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public boolean causal(Args args) { return args.bool("causal"); }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        if (args.real("decay") > 0 && !args.bool("causal")) {
            throw new ShapeException("decay = " + args.real("decay") + " needs causal = true",
                    "the decaying mask is computed by prefix sums, which run one way; a two-sided decay is not supported");
        }
        return AttentionHeads.outputShape(args, input);
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long t = input.size(1), d = input.last(), h = args.integer("heads"), m = args.integer("features");
        Kernel kernel = Kernel.of(args.symbol("kernel"));
        // features of q and k: the projection ωᵀx (2·T·m·dh per head), the norm, the exp/relu and stabiliser
        long features = 2 * (2 * t * m * d + 2 * t * d + h * t * m * (kernel == Kernel.RELU ? 2 : 4));
        long mixing;
        if (args.bool("causal")) {
            long c = chunk(t, args.integer("chunk"));
            // within chunks: scores (2·c·m), mask, value product (2·c·dh) and row sums; across: states, prefix sums, reads
            long intra = h * t * c * (2 * m + 2) + 2 * t * c * d;
            long n = t / c;   // the prefix over chunks is a GEMM with an [n, n] triangle: 2·n² per state element
            long inter = 2 * t * m * d + 2 * n * n * m * (d + h) + 2 * t * m * d + 2 * h * t * m;
            long decay = args.real("decay") > 0 ? 2 * h * t * m : 0;   // the position weights of queries and keys
            mixing = intra + inter + decay + 2 * t * d;
        } else {
            // φ(K)ᵀV, Σφ(K), φ(Q)·(φ(K)ᵀV), φ(Q)·Σφ(K), the division
            mixing = 2 * t * m * d + h * t * m + 2 * t * m * d + 2 * h * t * m + t * d;
        }
        return Cost.of(AttentionHeads.projectionParams(d), AttentionHeads.projectionFlops(t, d) + features + mixing);
    }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        AttentionHeads.Qkv heads = AttentionHeads.project(ctx, args, input);
        long t = heads.t(), dh = heads.dh();
        int m = args.i("features");
        long seed = ctx.randomSeed("omega"), redraw = args.integer("redraw");
        SDVariable omega = ctx.state("omega", orthogonalGaussian(seed, m, (int) dh));
        if (redraw > 0) {
            INDArray buffer = omega.getArr();
            ctx.afterEachStep("omega", step -> {
                if (step % redraw == 0) buffer.assign(orthogonalGaussian(drawSeed(seed, step), m, (int) dh));
            });
        }
        SDVariable q = heads.q(), k = heads.k(), v = heads.v();
        SDVariable[] phi = features(sd, q, k, t, omega, Kernel.of(args.symbol("kernel")));
        SDVariable mixed = args.bool("causal") ? causal(sd, ctx.name("tril"), phi[0], phi[1], v, t, m, dh, chunk(t, args.integer("chunk")),
                Math.exp(-args.real("decay")))
                : bidirectional(sd, phi[0], phi[1], v);
        return AttentionHeads.merge(ctx, heads, mixed);
    }

    /** The seed of the draw after {@code step} training steps: the layer's seed mixed with the step. */
    static long drawSeed(long seed, long step) { return seed * 0x9E3779B97F4A7C15L + step; }

    /**
     * The chunk length of causal prefix sums: the largest divisor of T up to {@code max}. The chunk's c×c product
     * costs T·c·m, the chunk states (T/c)·m·dh.
     */
    static int chunk(long t, long max) {
        for (int c = (int) Math.min(t, max); c > 1; c--) if (t % c == 0) return c;
        return 1;
    }

    /**
     * φ(q) and φ(k), each [N, T, m], for queries and keys [N, T, dh] (N = batch × heads) and projection ω [m, dh].
     * Returned unnormalised: any positive factor per query row, or one per (example, head) for keys, cancels.
     */
    static SDVariable[] features(SameDiff sd, SDVariable q, SDVariable k, long t, SDVariable w, Kernel kernel) {
        long m = w.getShape()[0], dh = w.getShape()[1];
        double scale = Math.pow(dh, -0.25);
        SDVariable x = q.mul(scale), y = k.mul(scale);
        SDVariable zx = x.reshape(-1, dh).mmul(w.permute(1, 0)).reshape(-1, t, m);
        SDVariable zy = y.reshape(-1, dh).mmul(w.permute(1, 0)).reshape(-1, t, m);
        if (kernel == Kernel.RELU) {
            return new SDVariable[] {sd.nn.relu(zx, 0).add(RELU_EPS), sd.nn.relu(zy, 0).add(RELU_EPS)};
        }
        SDVariable lx, ly;
        if (kernel == Kernel.FAVORPP) {
            SDVariable[] ab = favorppCoefficients(sd, x, y, dh);
            SDVariable omegaNorms = sd.sum(w.mul(w), false, 1).reshape(1, 1, m);
            SDVariable bias = ab[0].mul(omegaNorms);
            lx = zx.mul(ab[1]).sub(halfNorm(sd, x)).add(bias);
            ly = zy.mul(ab[1]).sub(halfNorm(sd, y)).add(bias);
        } else {
            lx = zx.sub(halfNorm(sd, x));
            ly = zy.sub(halfNorm(sd, y));
        }
        // not under StopGradient: with the +ε floor the output depends (very slightly) on the stabilisers
        SDVariable qMax = sd.max(lx, true, 2);
        SDVariable kMax = sd.max(ly, true, 1, 2);
        return new SDVariable[] {sd.math.exp(lx.sub(qMax)).add(POSITIVE_EPS), sd.math.exp(ly.sub(kMax)).add(POSITIVE_EPS)};
    }

    /**
     * FAVOR++'s A and B = √(1−4A) per (example, head), each [N, 1, 1]. A minimises the variance
     * averaged over all query/key pairs, A = (1 − 2ρ − √((2ρ+1)² + 8ρ))/16 with ρ = mean‖x_i + y_j‖²/dh
     * = (mean‖x‖² + mean‖y‖² + 2·x̄·ȳ)/dh. Gradients flow through A as in the reference implementation (it is a
     * smooth function of q and k, and the finite-difference checks see it).
     */
    static SDVariable[] favorppCoefficients(SameDiff sd, SDVariable x, SDVariable y, long dh) {
        SDVariable xx = sd.mean(sd.sum(x.mul(x), true, 2), true, 1), yy = sd.mean(sd.sum(y.mul(y), true, 2), true, 1);
        SDVariable xy = sd.sum(sd.mean(x, true, 1).mul(sd.mean(y, true, 1)), true, 2);
        SDVariable rho = xx.add(yy).add(xy.mul(2)).div(dh);
        SDVariable root = sd.math.sqrt(rho.mul(2).add(1).mul(rho.mul(2).add(1)).add(rho.mul(8)));
        SDVariable a = rho.mul(-2).add(1).sub(root).div(16);
        return new SDVariable[] {a, sd.math.sqrt(a.mul(-4).add(1))};
    }

    /** φ(Q)·(φ(K)ᵀV) / φ(Q)·Σφ(K): [N, T, dh]. */
    static SDVariable bidirectional(SameDiff sd, SDVariable fq, SDVariable fk, SDVariable v) {
        SDVariable kv = sd.mmul(fk, v, true, false, false);
        SDVariable ksum = sd.sum(fk, true, 1);
        SDVariable num = sd.mmul(fq, kv), den = sd.mmul(fq, ksum, false, true, false);
        return num.div(den);
    }

    /**
     * Causal linear attention, out_i = Σ_{j≤i} γ^{i−j}(φq_i·φk_j) v_j / Σ_{j≤i} γ^{i−j} φq_i·φk_j, in chunks of
     * {@code c}: [N, T, dh]. γ = 1 is plain causal attention; γ &lt; 1 is the exponentially decaying relative-position
     * mask M_ij = exp(−λ(i − j)), a Toeplitz mask that factorises across chunks: with i = bc + a and j = b'c + s,
     * γ^{i−j} = γ^{a−s} inside a chunk, and γ^{a+1}·γ^{c(b−b'−1)}·γ^{c−1−s} across chunks, so queries and keys are
     * scaled by per-position constants and the chunk states are summed with weights γ^{c(b−b'−1)}.
     */
    static SDVariable causal(SameDiff sd, String name, SDVariable fq, SDVariable fk, SDVariable v, long t, long m,
                             long dh, int c, double gamma) {
        long n = t / c;
        DataType type = fq.dataType();
        SDVariable qc = fq.reshape(-1, c, m), kc = fk.reshape(-1, c, m), vc = v.reshape(-1, c, dh);
        SDVariable mask = sd.constant(name, decayMask(c, gamma).castTo(type));
        SDVariable scores = sd.mmul(qc, kc, false, true, false).mul(mask);
        SDVariable num = sd.mmul(scores, vc), den = sd.sum(scores, true, 2);
        if (n > 1) {
            SDVariable kw = gamma == 1 ? kc
                    : kc.mul(sd.constant(name + "_keys", powers(c, gamma, c - 1, -1).reshape(1, c, 1).castTo(type)));
            SDVariable qw = gamma == 1 ? qc
                    : qc.mul(sd.constant(name + "_queries", powers(c, gamma, 1, 1).reshape(1, c, 1).castTo(type)));
            SDVariable states = sd.mmul(kw, vc, true, false, false).reshape(-1, n, m * dh);
            INDArray weights = chunkWeights((int) n, Math.pow(gamma, c)).castTo(type);
            SDVariable before = exclusivePrefix(sd, name + "_chunks", weights, states, n, m * dh).reshape(-1, m, dh);
            SDVariable keySums = exclusivePrefix(sd, name + "_chunks2", weights, sd.sum(kw, false, 1).reshape(-1, n, m), n, m)
                    .reshape(-1, m, 1);
            num = num.add(sd.mmul(qw, before));
            den = den.add(sd.mmul(qw, keySums));
        }
        return num.div(den).reshape(-1, t, dh);
    }

    /**
     * The weighted sum of the chunks before each chunk, along axis 1 of [N, n, F]: one GEMM with {@code weights}
     * [n, n] (zero on and above the diagonal) over [n, N·F]. Not sd.cumsum: its backward in M2.1 is wrong along
     * any axis but 0 of a tensor whose leading size is not 1, and slow along axis 0 (the finite-difference checks
     * and AttentionBench found these); n = T/c is small, so the 2·n²·N·F FLOPs are a few percent of the layer.
     */
    private static SDVariable exclusivePrefix(SameDiff sd, String name, INDArray weights, SDVariable x, long n, long f) {
        SDVariable rows = x.permute(1, 0, 2).reshape(n, -1);
        return sd.constant(name, weights).mmul(rows).reshape(n, -1, f).permute(1, 0, 2);
    }

    /** [n, n]: g^{b−b'−1} strictly below the diagonal (1 for g = 1). */
    private static INDArray chunkWeights(int n, double g) {
        double[][] w = new double[n][n];
        for (int b = 0; b < n; b++) for (int j = 0; j < b; j++) w[b][j] = Math.pow(g, b - j - 1);
        return Nd4j.createFromArray(w);
    }

    /** [1, c, c]: γ^{a−s} on and below the diagonal (the causal mask for γ = 1). */
    private static INDArray decayMask(int c, double gamma) {
        double[][] mask = new double[c][c];
        for (int a = 0; a < c; a++) for (int s = 0; s <= a; s++) mask[a][s] = Math.pow(gamma, a - s);
        return Nd4j.createFromArray(mask).reshape(1, c, c);
    }

    /** [c]: γ^{first + step·i}. */
    private static INDArray powers(int c, double gamma, int first, int step) {
        double[] p = new double[c];
        for (int i = 0; i < c; i++) p[i] = Math.pow(gamma, first + step * i);
        return Nd4j.createFromArray(p);
    }

    /** ‖x‖²/2 over the last axis, kept as [N, T, 1]. */
    private static SDVariable halfNorm(SameDiff sd, SDVariable x) { return sd.sum(x.mul(x), true, 2).mul(0.5); }

    /**
     * ω [m, d] with rows N(0, I_d) marginally and orthogonal within each block of d rows (Gram–Schmidt of a
     * Gaussian block), each row rescaled to the norm of an independent Gaussian vector: the reference's
     * {@code scaling = 0}, which keeps the estimate unbiased while orthogonality lowers its variance.
     */
    static INDArray orthogonalGaussian(long seed, int m, int d) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] rows = new double[m][];
        for (int start = 0; start < m; start += d) {
            double[][] block = new double[d][d];
            for (double[] r : block) for (int j = 0; j < d; j++) r[j] = rng.nextGaussian();
            gramSchmidt(block);
            for (int i = 0; i < d && start + i < m; i++) rows[start + i] = block[i];
        }
        for (double[] r : rows) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double g = rng.nextGaussian();
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) r[j] *= norm;
        }
        return Nd4j.createFromArray(rows).castTo(DataType.DOUBLE);
    }

    /** Orthonormalises the rows in place (modified Gram–Schmidt; a Gaussian block has full rank almost surely). */
    private static void gramSchmidt(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < a[i].length; j++) dot += a[i][j] * a[k][j];
                for (int j = 0; j < a[i].length; j++) a[i][j] -= dot * a[k][j];
            }
            double norm = 0;
            for (double x : a[i]) norm += x * x;
            norm = Math.sqrt(norm);
            for (int j = 0; j < a[i].length; j++) a[i][j] /= norm;
        }
    }
}
