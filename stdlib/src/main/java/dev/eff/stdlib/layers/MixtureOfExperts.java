package dev.eff.stdlib.layers;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.ShapeException;
import dev.eff.dsl.check.SideOutput;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Layer;
import dev.eff.stdlib.Lowering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A mixture of E feed-forward experts on [B, T, d], standing where {@code mlp} stands: a router scores each
 * token (x·Wr, softmax over experts, in the activation type, float32 or wider), its {@link Router} fills C
 * slots per expert and routing group, and the output of a token is the gate-weighted sum of the outputs of the
 * experts that took it (zero when none did: the residual around the layer carries it).
 *
 * <p>The lowering is a handful of large ops whatever E is: a 0/1 dispatch tensor [G, E·C, S] from the routing
 * indices; expert inputs = dispatch · x (one batched matmul per group); all experts at once as one batched matmul
 * over weights stacked [E, d, h] and [E, h, d]; the outputs scaled by their slot's gate and combined with the
 * transposed dispatch. Gates are the router probabilities gathered by a matmul with the (constant) dispatch, so
 * the router learns through them although the indices carry no gradient. Dispatch and combine cost
 * 4·E·C·S·d per group, about 4·k·cf·S·d per token, which grows with the group size S: groups are each example's
 * sequence by default (attention already pays S² per example, and routing then never depends on which examples
 * share a batch, so evaluation at any batch size routes exactly as training did); {@code group} splits long
 * sequences into smaller groups.
 */
@AutoService(Component.class)
public final class MixtureOfExperts implements Layer {

    private static final Signature SIGNATURE = new Signature(Kind.LAYER, "moe", null,
            "Mixture of experts on [B, T, d]: E feed-forward experts like mlp (weights stacked [E, d, hidden]), a "
                    + "softmax router, and a routing rule; stands wherever mlp stands. Active parameters per token: "
                    + "the router and about k experts.",
            List.of(Param.required("experts", Type.positive(), "number of experts E"),
                    Param.of("hidden", Type.atLeast(0), 0, "hidden width of each expert; 0 means 4× the input width"),
                    new Param("route", new Type.Component(Kind.ROUTER), new Value.Call("tokenChoice", Map.of(), null),
                            "routing rule: tokenChoice(k, capacity, evalCapacity) or expertChoice(k, evalK, allowCausal)"),
                    Param.choice("activation", "gelu or relu inside each expert, or swiglu: silu(x·W) ⊙ (x·V)",
                            "gelu", "relu", "swiglu"),
                    Param.of("group", Type.atLeast(0), 0,
                            "tokens per routing group; must divide the sequence length; 0 routes each example's sequence "
                                    + "as one group")));

    /** The probes every router gets. */
    private static final List<SideOutput> PROBES = List.of(
            SideOutput.probe("load", "per expert: its share of the token→expert assignments the router asked for"),
            SideOutput.probe("maxMeanLoad", "the busiest expert's assignments over the mean (1 is perfectly balanced)"),
            SideOutput.probe("unrouted", "fraction of tokens no expert processed"),
            SideOutput.probe("expertsPerToken", "experts that processed a token, on average"),
            SideOutput.probe("routerConfidence", "the router's top probability, averaged over tokens"));

    @Override public Signature signature() { return SIGNATURE; }

    @Override
    public Shape outputShape(Args args, Shape input, Map<String, Shape> refs) throws ShapeException {
        Shapes.requireFloatRank(input, 3, "[B, T, d]", "moe routes the tokens of sequences; embed(vocab, dim) produces them");
        long t = input.size(1), group = groupSize(args, t);
        if (t % group != 0) {
            throw new ShapeException("group = " + group + " does not divide the sequence length " + t,
                    "choose group among the divisors of " + t + ", or 0 for one group per sequence");
        }
        router(args).check(routeArgs(args), group, args.integer("experts"));
        return input;
    }

    @Override
    public Cost cost(Args args, Shape input, Shape output, Map<String, Shape> refs) throws ShapeException {
        Router router = router(args);
        Args route = routeArgs(args);
        long t = input.size(1), d = input.last(), e = args.integer("experts"), h = hidden(args, d), s = groupSize(args, t);
        boolean swiglu = args.symbol("activation").equals("swiglu");
        long first = swiglu ? 2 * h : h;
        long expertParams = Projection.params(d, first, true) + Projection.params(h, d, true);
        long slotFlops = Projection.flops(1, d, first, true) + Projection.flops(1, h, d, true)
                + h * (swiglu ? ActivationFn.SILU.flopsPerElement + 1 : ActivationFn.of(args.symbol("activation")).flopsPerElement);
        long c = router.capacity(route, s, e, false), groups = t / s;
        long routerFlops = t * (2 * d * e + 3 * e);
        long dispatchCombine = groups * (2 * (2 * e * c * s * d) + 2 * e * c * s + e * c * d);
        long experts = groups * e * c * slotFlops;
        long active = d * e + Math.round(router.expertsPerToken(route) * expertParams);
        return new Cost(d * e + e * expertParams, active, routerFlops + dispatchCombine + experts);
    }

    @Override
    public List<SideOutput> sideOutputs(Args args) {
        List<SideOutput> all = new ArrayList<>(router(args).sideOutputs());
        all.addAll(PROBES);
        return all;
    }

    @Override
    public List<SideOutput> possibleSideOutputs() {
        List<SideOutput> all = new ArrayList<>(new TokenChoiceRouter().sideOutputs());
        all.addAll(PROBES);
        return all;
    }

    @Override
    public void checkInCausalModel(Args args) throws ShapeException { router(args).checkInCausalModel(routeArgs(args)); }

    @Override
    public SDVariable lower(Lowering ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        SameDiff sd = ctx.sd();
        Router router = router(args);
        Args route = routeArgs(args);
        long[] example = Shapes.example(ctx.inputShape());
        long t = example[0], d = example[1], e = args.integer("experts"), h = hidden(args, d), s = groupSize(args, t);
        int c = router.capacity(route, s, e, ctx.inference());
        long slots = e * c;
        SDVariable x = input.reshape(-1, s, d);
        SDVariable logits = x.reshape(-1, d).mmul(ctx.param("router", new long[] {d, e}, new Init.Normal(0.02))).reshape(-1, s, e);
        SDVariable probs = sd.nn.softmax(logits, 2);
        Router.Routing r = router.route(ctx, route, logits, probs, s, e, c);
        SDVariable dispatch = r.dispatch().reshape(-1, slots, s);
        // each slot's gate: the probability its token gave its expert, as [G·E, C, S]·[G·E, S, 1]
        SDVariable gate = sd.mmul(r.dispatch().reshape(-1, c, s), r.gates().permute(0, 2, 1).reshape(-1, s, 1))
                .reshape(-1, slots, 1);
        SDVariable expertIn = sd.mmul(dispatch, x).reshape(-1, e, c, d).permute(1, 0, 2, 3).reshape(e, -1, d);
        SDVariable expertOut = experts(ctx, args, expertIn, d, h, e);
        SDVariable slotOut = expertOut.reshape(e, -1, c, d).permute(1, 0, 2, 3).reshape(-1, slots, d).mul(gate);
        SDVariable out = sd.mmul(dispatch, slotOut, true, false, false);
        probes(ctx, r, probs, e);
        return out.reshape(-1, t, d);
    }

    /** All experts as batched matmuls over their stacked weights: {@code [E, N, d] → [E, N, d]}. */
    private static SDVariable experts(Lowering ctx, Args args, SDVariable x, long d, long h, long e) {
        SameDiff sd = ctx.sd();
        boolean swiglu = args.symbol("activation").equals("swiglu");
        long first = swiglu ? 2 * h : h;
        SDVariable pre = sd.mmul(x, ctx.param("W1", new long[] {e, d, first}, Init.glorot(d, first)))
                .add(ctx.param("b1", new long[] {e, 1, first}, Init.ZEROS));
        SDVariable hid;
        if (swiglu) {
            SDVariable[] gateAndValue = sd.split(pre, 2, 2);
            hid = sd.nn.swish(gateAndValue[0]).mul(gateAndValue[1]);
        } else {
            hid = ActivationFn.of(args.symbol("activation")).apply(sd, pre);
        }
        return sd.mmul(hid, ctx.param("W2", new long[] {e, h, d}, Init.glorot(h, d)))
                .add(ctx.param("b2", new long[] {e, 1, d}, Init.ZEROS));
    }

    private static void probes(Lowering ctx, Router.Routing r, SDVariable probs, long e) {
        SameDiff sd = ctx.sd();
        SDVariable assigned = r.assigned();
        ctx.probe("load", assigned.div(sd.sum(assigned)));
        ctx.probe("maxMeanLoad", sd.max(assigned).div(sd.mean(assigned)));
        SDVariable perToken = sd.sum(r.dispatch(), 1, 2); // [G, S]: experts that took each token
        ctx.probe("unrouted", sd.mean(perToken.eq(0.0).castTo(ctx.dtype())));
        ctx.probe("expertsPerToken", sd.mean(perToken));
        ctx.probe("routerConfidence", sd.mean(sd.max(probs, 2)));
    }

    static long groupSize(Args args, long sequence) {
        long g = args.integer("group");
        return g == 0 ? sequence : g;
    }

    private static long hidden(Args args, long width) {
        long h = args.integer("hidden");
        return h == 0 ? 4 * width : h;
    }

    /** The router component of the {@code route} argument (bound by the checker, or a default written by hand). */
    static Router router(Args args) {
        Value.Call call = args.call("route");
        if (call.spec() instanceof Router r) return r;
        return switch (call.name()) {
            case "tokenChoice" -> new TokenChoiceRouter();
            case "expertChoice" -> new ExpertChoiceRouter();
            default -> throw new IllegalArgumentException("not a router: " + call.name());
        };
    }

    /** The router's arguments with its defaults filled in for any not given. */
    static Args routeArgs(Args args) {
        Value.Call call = args.call("route");
        Map<String, Value> all = new LinkedHashMap<>();
        for (Param p : router(args).signature().params()) {
            all.put(p.name(), call.args().containsKey(p.name()) ? call.args().get(p.name()) : p.defaultValue());
        }
        return new Args(all);
    }
}
