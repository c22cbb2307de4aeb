package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Exact;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Treeformer decision-tree attention (Madaan et al., "Treeformer: Dense Gradient Trees for Efficient Attention
 * Computation", ICLR 2023). Per head, a learned tree of depth h (internal node ν: hyperplane w_ν·u + b_ν, left when
 * positive) routes every query and every key to one of Λ = 2^h leaves.
 * <ul>
 * <li>{@code mode = leaf} (TF-attention): a query attends only to the keys of its own leaf. Leaves are buckets of
 * C = min(T, ⌈capacity·T/Λ⌉) slots, filled in position order; a query or key beyond C is dropped. Tokens move into
 * the buckets and back by two segment sums over slot indices (no T×T dispatch matrix), so attention costs
 * 4·capacity·T·C·d instead of 4·T²·d. A query whose leaf holds no visible key gets a zero output (the residual
 * carries it), as a token no expert took does in {@code moe}.</li>
 * <li>{@code mode = path} (TC-attention): every node holds the mean key and value of the keys routed through it; a
 * query attends over the h + 1 nodes on its root-to-leaf path. The root holds every key, so every key gets a
 * gradient. Not causal: a node's mean would include later keys.</li>
 * </ul>
 * The trees learn through the straight-through estimator of Dense Gradient Trees: the node decisions are
 * a = sign(z) forward and clip(z, −1, 1) backward; the leaf indicator relu(S·a − (h − 1)) with the fixed ±1
 * path matrix S is exactly one-hot forward, and every token's output (queries) and value (keys) is multiplied
 * by its own leaf's indicator, 1 forward, so the loss reaches the splits. Splits start balanced: hyperplanes through
 * the origin in random directions (SimHash), which halve the zero-mean queries and keys of an initial model in
 * expectation; {@code aux.leafBalance} (Λ·Σ_λ f_λ·P_λ, 1 when balanced, the MoE balance loss over leaves with the
 * soft path probabilities P) keeps them balanced while training.
 */
@AutoService(Component.class)
public final class TreeformerAttention implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "attention", "treeformer",
            "Decision-tree attention (Treeformer) over [B, T, d]: per head a learned tree of depth h routes queries and "
                    + "keys to 2^h leaves; mode = leaf attends within the query's leaf (buckets of capacity·T/2^h keys), "
                    + "mode = path attends to the mean keys and values of the nodes on the query's root-to-leaf path. "
                    + "Same projections as attention(softmax), plus (2^h − 1)·(d/heads + 1) split parameters per head. "
                    + "Emits aux.leafBalance.",
            AttentionHeads.params(
                    Param.of("depth", Type.atLeast(0), 3, "tree depth h: 2^h leaves per head"),
                    Param.choice("mode", "leaf: attend within the query's leaf; path: attend to the node aggregates on "
                            + "the query's root-to-leaf path", "leaf", "path"),
                    Param.of("capacity", Type.positiveReal(), 2.0,
                            "leaf mode: slots per leaf as a multiple of the balanced load T/2^h (at most T)")));

    private static final List<SideOutput> BALANCE = List.of(
            SideOutput.aux("leafBalance", "leaf-balance loss 2^h·Σ f·P over leaves (1 when queries and keys are spread evenly)"),
            SideOutput.probe("leafLoad", "per leaf: its share of the keys, averaged over heads"),
            SideOutput.probe("maxMeanLeaf", "the fullest leaf's keys over the mean (1 is perfectly balanced)"));
    private static final List<SideOutput> BUCKETS = List.of(
            SideOutput.probe("dropped", "fraction of queries and keys beyond their leaf's capacity"),
            SideOutput.probe("emptyLeaf", "fraction of queries that found no key in their leaf (zero output)"));

    /** Leaves of more than 2^12 buckets would make the path matrices larger than the attention they save. */
    private static final int MAX_DEPTH = 12;

    @Override public Signature signature() { return SIGNATURE; }

    @Override public boolean causal(Args args) { return args.bool("causal"); }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        AttentionHeads.outputShape(args, input);
        long depth = args.integer("depth");
        if (depth > MAX_DEPTH) {
            throw new ShapeException("depth = " + depth + " gives 2^" + depth + " leaves per head",
                    "choose depth ≤ " + MAX_DEPTH + "; about log2(T/64) puts 64 keys in a leaf");
        }
        if (args.bool("causal") && path(args)) {
            throw new ShapeException("mode = path cannot be causal: each node's mean key and value "
                    + "would include later positions", "use mode = leaf, which masks later keys inside each leaf");
        }
        return input;
    }

    @Override
    public List<SideOutput> sideOutputs(Args args) {
        if (path(args)) return BALANCE;
        return java.util.stream.Stream.concat(BALANCE.stream(), BUCKETS.stream()).toList();
    }

    @Override
    public List<SideOutput> possibleSideOutputs() {
        return java.util.stream.Stream.concat(BALANCE.stream(), BUCKETS.stream()).toList();
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        long t = input.size(1), d = input.last();
        return Cost.of(Exact.plus(AttentionHeads.projectionParams(d), treeParams(args, d)),
                Exact.plus(AttentionHeads.projectionFlops(t, d), attentionFlops(args, t, d), routingFlops(args, t, d)));
    }

    /** Split parameters: per head and internal node a hyperplane over d/heads and a bias. */
    static long treeParams(Args args, long d) {
        long h = args.integer("heads"), nodes = (1L << args.integer("depth")) - 1;
        return Exact.times(h, nodes, d / h + 1);
    }

    /**
     * FLOPs of the attention proper per example, as performed: leaf mode scores and mixes C keys for each of the Λ·C
     * query slots of a head (4·Λ·C²·(d/h) per head, plus the mask, the softmax and the empty-leaf factor); path mode
     * scores all 2Λ − 1 node means per query (the off-path ones masked), the same count for the mix.
     */
    public static long attentionFlops(Args args, long t, long d) {
        long heads = args.integer("heads"), leaves = 1L << args.integer("depth");
        if (path(args)) {
            long nodes = 2 * leaves - 1;
            return Exact.plus(Exact.times(4, t, nodes, d), Exact.times(heads, t, nodes, 4), Exact.times(t, d));
        }
        long c = capacity(args, t), slots = Exact.times(leaves, c);
        return Exact.plus(Exact.times(4, slots, c, d), Exact.times(heads, slots, c, 5), Exact.times(t, d));
    }

    /**
     * FLOPs of routing per example: every internal node's predicate for every query and key (dense, 2·T·N·d each), the
     * leaf one-hots, straight-through indicators and soft leaf probabilities level by level (about 3·Λ per token, head
     * and kind), and moving tokens into and out of the buckets (leaf mode) or summing keys and values per leaf and
     * node (path mode).
     */
    public static long routingFlops(Args args, long t, long d) {
        long heads = args.integer("heads"), leaves = 1L << args.integer("depth"), nodes = leaves - 1;
        long predicates = Exact.times(4, t, nodes, d);
        long indicators = Exact.times(18, heads, t, leaves);
        long moves = path(args)
                ? Exact.plus(Exact.times(4, t, leaves, d), Exact.times(4, 2 * leaves - 1, leaves, d))
                : Exact.times(4, t, d);
        return Exact.plus(predicates, indicators, moves);
    }

    /** Slots per leaf: min(T, ⌈capacity·T/Λ⌉), at least 1. */
    static long capacity(Args args, long t) {
        long leaves = 1L << args.integer("depth");
        double c = Math.ceil(args.real("capacity") * t / leaves - 1e-9);
        return (long) Math.max(1, Math.min(t, c));
    }

    private static boolean path(Args args) { return args.symbol("mode").equals("path"); }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        AttentionHeads.Qkv heads = AttentionHeads.project(ctx, args, input);
        long t = heads.t(), h = heads.heads(), dh = heads.dh();
        int depth = args.i("depth");
        // heads lead, [h, B, T, dh], so per-head tree weights [h, dh, ·] meet rank-3 batched matmuls
        SDVariable q = heads.perHead(heads.q()).permute(1, 0, 2, 3), k = heads.perHead(heads.k()).permute(1, 0, 2, 3),
                v = heads.perHead(heads.v()).permute(1, 0, 2, 3);
        Tree tree = new Tree(ctx, depth, h, dh);
        Route rq = tree.route(q, t, dh), rk = tree.route(k, t, dh);
        balance(ctx, tree, rq, rk);
        SDVariable mixed = path(args)
                ? pathAttention(ctx, tree, q.mul(1 / Math.sqrt(dh)), k, v, rq, rk, t, dh)
                : leafAttention(ctx, tree, args, q.mul(1 / Math.sqrt(dh)), k, v, rq, rk, t, dh);
        return AttentionHeads.merge(ctx, heads, mixed.permute(1, 0, 2, 3));
    }

    /**
     * Routing of queries or keys [h, B, T, dh]: {@code hard} the leaf one-hot [h, B, T, Λ] (no gradient),
     * {@code gate} [h, B, T, dh] the token's own leaf indicator through the straight-through estimator (1 forward),
     * repeated along dh (M2.1's backward of a broadcast multiply, or of a tile, is slow),
     * {@code soft} the leaf probabilities Π σ(±z) along each path (for the balance loss).
     */
    record Route(SDVariable hard, SDVariable gate, SDVariable soft) {}

    /** One tree per head: hyperplanes W [h, dh, N], b [h, 1, N] over N = Λ − 1 internal nodes in heap order. */
    private static final class Tree {
        private final Lowering ctx;
        final int depth;
        final long heads, leaves, nodes;
        private final SDVariable w, b;

        Tree(Lowering ctx, int depth, long heads, long dh) {
            this.ctx = ctx;
            this.depth = depth;
            this.heads = heads;
            this.leaves = 1L << depth;
            this.nodes = leaves - 1;
            w = nodes == 0 ? null : ctx.param("splitW", new long[] {heads, dh, nodes}, new Init.Normal(1 / Math.sqrt(dh)));
            b = nodes == 0 ? null : ctx.param("splitB", new long[] {heads, 1, nodes}, Init.ZEROS);
        }

        /** Routes u [h, B, T, dh] (T and dh static). */
        Route route(SDVariable u, long t, long dh) {
            SameDiff sd = ctx.sd();
            if (nodes == 0) {
                SDVariable one = sd.onesLike(sd.sum(u, true, 3));
                return new Route(one, sd.onesLike(u), one);
            }
            SDVariable z = sd.mmul(u.reshape(heads, -1, dh), w).add(b).reshape(-1, nodes);
            // a comparison is boolean, so the hard decisions carry no gradient; the estimator supplies one
            SDVariable hard = z.gt(0.0).castTo(ctx.dtype());
            SDVariable clipped = sd.math.clipByValue(z, -1.0, 1.0).add(1.0).div(2.0);
            SDVariable ste = clipped.add(new StopGradient(sd, hard.sub(clipped)).outputVariable());
            // the reached leaf's product only: summed over all leaves the products are identically 1
            // and summed by a matmul with ones [Λ, dh], so the gate comes out as wide as the vectors it scales
            SDVariable oneHot = leafProducts(sd, hard);
            SDVariable gate = oneHot.mul(leafProducts(sd, ste)).mmul(sd.constant(Nd4j.ones(ctx.dtype(), leaves, dh)));
            SDVariable soft = leafProducts(sd, sd.nn.sigmoid(z));
            return new Route(oneHot.reshape(heads, -1, t, leaves), gate.reshape(heads, -1, t, dh), soft.reshape(heads, -1, t, leaves));
        }

        /**
         * Per row, Π over the path of p (going left) or 1 − p (going right), for every leaf: [rows, N] → [rows, Λ], built
         * level by level (each node's value split between its two children), so it costs O(Λ) per row, not the
         * O(N·Λ) of the DGT "AND" matrix product. With p ∈ {0, 1} it is the leaf one-hot; with the straight-through
         * p it is that one-hot forward and DGT's estimator backward; with p = σ(z) the soft leaf probabilities.
         */
        private SDVariable leafProducts(SameDiff sd, SDVariable p) {
            SDVariable reach = null;
            for (int level = 0; level < depth; level++) {
                long first = (1L << level) - 1, width = 1L << level;
                SDVariable goLeft = sd.stridedSlice(p, new long[] {0, first}, new long[] {0, first + width}, new long[] {1, 1},
                        0b01, 0b01, 0, 0, 0);
                SDVariable left = reach == null ? goLeft : reach.mul(goLeft);
                SDVariable right = reach == null ? goLeft.rsub(1.0) : reach.sub(left);
                // children of prefix j are 2j (left) and 2j + 1 (right): interleave
                reach = sd.stack(2, left, right).reshape(-1, 2 * width);
            }
            return reach;
        }
    }

    /** Emits aux.leafBalance (training graphs only) and the leaf-occupancy probes, from queries and keys. */
    private static void balance(Lowering ctx, Tree tree, Route rq, Route rk) {
        SameDiff sd = ctx.sd();
        double leaves = tree.leaves;
        if (!ctx.inference()) {
            // per head and example: Λ·Σ_λ f_λ·P_λ, f the hard share of the leaf (constant), P its mean soft probability
            SDVariable forQueries = sd.sum(sd.mean(rq.hard(), 2).mul(sd.mean(rq.soft(), 2)), 2);
            SDVariable forKeys = sd.sum(sd.mean(rk.hard(), 2).mul(sd.mean(rk.soft(), 2)), 2);
            ctx.aux("leafBalance", sd.mean(forQueries.add(forKeys)).mul(leaves / 2));
        }
        SDVariable share = sd.mean(rk.hard(), 2); // [h, B, Λ]
        ctx.probe("leafLoad", sd.mean(share, 0, 1));
        ctx.probe("maxMeanLeaf", sd.mean(sd.max(share, 2)).mul(leaves));
    }

    /**
     * TF-attention in capacity-limited buckets. Slot of a token = ((group·Λ + leaf)·C + position in leaf), where a
     * group is one head of one example; tokens beyond C go to one extra slot that is cut off. Buckets are filled by a
     * segment sum over slots and read back by a segment sum over the slots' owners, both with gather-like gradients.
     */
    private static SDVariable leafAttention(Lowering ctx, Tree tree, Args args, SDVariable q, SDVariable k, SDVariable v,
                                            Route rq, Route rk, long t, long dh) {
        SameDiff sd = ctx.sd();
        DataType dt = ctx.dtype();
        long leaves = tree.leaves, c = capacity(args, t);
        SDVariable ones = sd.onesLike(sd.sum(rq.hard(), false, 3)); // [h, B, T]
        SDVariable token = sd.cumsum(ones.reshape(-1), true, false, 0); // flat index over [h, B, T]
        SDVariable group = sd.math.floor(token.add(0.5).div(t));
        SDVariable position = token.sub(group.mul(t)); // 0 … T−1 within the sequence
        SDVariable tokens = sd.sum(ones);
        SDVariable bucketSlots = tokens.div(t).mul(leaves * c); // h·B·Λ·C
        SDVariable slotCount = bucketSlots.add(1);
        Slots sq = slots(sd, dt, rq.hard(), group, leaves, c, bucketSlots);
        Slots sk = slots(sd, dt, rk.hard(), group, leaves, c, bucketSlots);

        SDVariable qb = bucket(sd, q.reshape(-1, dh), dh, sq.slot, slotCount).reshape(-1, c, dh);
        SDVariable kb = bucket(sd, k.reshape(-1, dh), dh, sk.slot, slotCount).reshape(-1, c, dh);
        SDVariable vb = bucket(sd, v.mul(rk.gate()).reshape(-1, dh), dh, sk.slot, slotCount).reshape(-1, c, dh);
        SDVariable at = position.add(1).reshape(-1, 1); // 1 … T, so an empty slot reads 0
        SDVariable queryAt = bucket(sd, at, 1, sq.slot, slotCount).reshape(-1, c, 1);
        SDVariable keyAt = bucket(sd, at, 1, sk.slot, slotCount).reshape(-1, 1, c);
        // [C, C] per bucket: an occupied key slot (and, when causal, not after the query); built full size so that
        // adding it to the scores is no broadcast, whose backward is slow in M2.1
        SDVariable visible = args.bool("causal")
                ? keyAt.gt(0.0).castTo(dt).mul(keyAt.lte(queryAt).castTo(dt))
                : keyAt.gt(0.0).castTo(dt).mul(queryAt.gt(0.0).castTo(dt));
        SDVariable anyKey = sd.max(visible, true, 2); // [Λ-buckets, C, 1]: 0 where the query's leaf shows no key
        // rows without a visible key stay unmasked (M2.1's softmax of a row of -1e9 alone is NaN) and are zeroed below
        SDVariable mask = visible.rsub(1.0).mul(anyKey).mul(SoftmaxAttention.MASKED);
        SDVariable scores = sd.mmul(qb, kb, false, true, false).add(mask);
        // zeroing the [C, dh] result rather than the [C, C] weights, tiled: a broadcast multiply's backward is slow in M2.1
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), scores, -1);
        SDVariable out = sd.mmul(weights, vb).mul(sd.tile(anyKey, 1, 1, (int) dh)).reshape(-1, dh);

        // back to tokens: each occupied slot names its token (+1), the others point past the last token
        SDVariable owner = bucket(sd, token.add(1).reshape(-1, 1), 1, sq.slot, slotCount).reshape(-1);
        SDVariable occupied = owner.gt(0.0).castTo(dt);
        SDVariable target = owner.sub(1).mul(occupied).add(occupied.rsub(1.0).mul(tokens)).castTo(DataType.INT);
        SDVariable back = bucket(sd, out, dh, target, tokens.add(1));

        ctx.probe("dropped", sd.mean(sq.keep).add(sd.mean(sk.keep)).div(2).rsub(1.0));
        ctx.probe("emptyLeaf", sd.sum(queryAt.gt(0.0).castTo(dt).mul(anyKey.rsub(1.0))).div(tokens));
        return back.reshape(tree.heads, -1, t, dh).mul(rq.gate());
    }

    /** A token's slot (int, flat over [h, B, T]) and whether it fits in its leaf's capacity. */
    private record Slots(SDVariable slot, SDVariable keep) {}

    private static Slots slots(SameDiff sd, DataType dt, SDVariable oneHot, SDVariable group, long leaves, long c,
                               SDVariable overflow) {
        // position in leaf: the number of earlier tokens of the same leaf (no gradient flows here)
        SDVariable before = sd.sum(sd.cumsum(oneHot, true, false, 2).mul(oneHot), false, 3).reshape(-1);
        SDVariable leaf = sd.sum(oneHot.mul(sd.constant(Nd4j.arange(leaves).castTo(dt))), false, 3).reshape(-1);
        SDVariable keep = before.lt(c).castTo(dt);
        SDVariable slot = group.mul(leaves).add(leaf).mul(c).add(before).mul(keep).add(keep.rsub(1.0).mul(overflow));
        return new Slots(slot.castTo(DataType.INT), keep);
    }

    /**
     * Rows of {@code data} [N, w] summed into {@code count} slots (a float scalar), the last (overflow) slot cut off. A
     * scatter-add into zeros: its backward is a gather (M2.1's segment-sum backward is far slower at these sizes).
     */
    private static SDVariable bucket(SameDiff sd, SDVariable data, long width, SDVariable slot, SDVariable count) {
        SDVariable shape = sd.concat(0, count.castTo(DataType.LONG).reshape(1), sd.constant(Nd4j.createFromArray(width)));
        return dropLast(sd, sd.scatterAdd(sd.fill(shape, data.dataType(), 0.0), slot, data));
    }

    private static SDVariable dropLast(SameDiff sd, SDVariable rows) {
        return sd.stridedSlice(rows, new long[] {0, 0}, new long[] {-1, 0}, new long[] {1, 1}, 0, 0b10, 0, 0, 0);
    }

    /**
     * TC-attention: leaf sums of keys and values by a one-hot matmul, node sums from them by the constant
     * node-contains-leaf matrix A [2Λ − 1, Λ], means over the keys counted; each query scores all node means with the
     * nodes off its path masked.
     */
    private static SDVariable pathAttention(Lowering ctx, Tree tree, SDVariable q, SDVariable k, SDVariable v,
                                            Route rq, Route rk, long t, long dh) {
        SameDiff sd = ctx.sd();
        DataType dt = ctx.dtype();
        long leaves = tree.leaves, nodes = 2 * leaves - 1;
        double[][] contains = contains(tree.depth);
        SDVariable a = constant(sd, ctx, "node_leaves", contains);
        SDVariable aT = constant(sd, ctx, "leaf_nodes", transpose(contains));
        SDVariable ohK = rk.hard().reshape(-1, t, leaves), ohQ = rq.hard().reshape(-1, t, leaves);
        SDVariable gatedK = k.mul(rk.gate()).reshape(-1, t, dh), gatedV = v.mul(rk.gate()).reshape(-1, t, dh);
        SDVariable keyMeans = nodeMeans(sd, a, sd.mmul(ohK, gatedK, true, false, false), ohK, aT, leaves, dh);
        SDVariable valueMeans = nodeMeans(sd, a, sd.mmul(ohK, gatedV, true, false, false), ohK, aT, leaves, dh);
        SDVariable nonEmpty = sd.sum(ohK, true, 1).reshape(-1, leaves).mmul(aT).gt(0.0).castTo(dt).reshape(-1, 1, nodes);
        SDVariable onPath = ohQ.reshape(-1, leaves).mmul(aT).reshape(-1, t, nodes).mul(nonEmpty);
        SDVariable scores = sd.mmul(q.reshape(-1, t, dh), keyMeans, false, true, false)
                .add(onPath.rsub(1.0).mul(SoftmaxAttention.MASKED));
        SDVariable weights = sd.nn.softmax(ctx.name("weights"), scores, -1);
        return sd.mmul(weights, valueMeans).reshape(tree.heads, -1, t, dh).mul(rq.gate());
    }

    /** Leaf sums [G, Λ, dh] → node means [G, 2Λ − 1, dh] (a node with no key gets 0, and is masked). */
    private static SDVariable nodeMeans(SameDiff sd, SDVariable a, SDVariable leafSums, SDVariable oneHot, SDVariable aT,
                                        long leaves, long dh) {
        long nodes = 2 * leaves - 1;
        SDVariable sums = a.mmul(leafSums.permute(1, 0, 2).reshape(leaves, -1)).reshape(nodes, -1, dh).permute(1, 0, 2);
        SDVariable counts = sd.sum(oneHot, false, 1).mmul(aT); // [G, 2Λ − 1]
        return sums.div(sd.math.max(counts, sd.onesLike(counts)).reshape(-1, nodes, 1));
    }

    /** [2Λ − 1, Λ]: 1 where node ν (internal nodes, then leaves, in heap order) contains leaf λ. */
    static double[][] contains(int depth) {
        int leaves = 1 << depth;
        double[][] a = new double[2 * leaves - 1][leaves];
        for (int leaf = 0; leaf < leaves; leaf++) {
            for (int level = 0; level <= depth; level++) a[(1 << level) - 1 + (leaf >> (depth - level))][leaf] = 1;
        }
        return a;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) for (int j = 0; j < m[0].length; j++) t[j][i] = m[i][j];
        return t;
    }

    private static SDVariable constant(SameDiff sd, Lowering ctx, String name, double[][] values) {
        return sd.constant(ctx.name(name), Nd4j.createFromArray(values).castTo(ctx.dtype()));
    }
}
