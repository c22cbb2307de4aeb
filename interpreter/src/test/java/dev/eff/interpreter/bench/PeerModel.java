package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model of the peer harness ({@code bench/peers/peers.py}): the first train statement of an Eff script (with
 * constant overrides) gives the model, data, batch and optimizer; it is timed as a train step, or as batch-1
 * inference of its inference graph. {@link Description} is what a peer in another framework needs to build the same
 * model, read off the checked graph, and the FLOPs all peers are measured by.
 */
record PeerModel(String name, String script, Map<String, String> overrides, boolean inference) {

    static final List<PeerModel> ALL = List.of(
            new PeerModel("char4", "scripts/char_transformer.eff", Map.of(), false),
            new PeerModel("block512", "bench/peers/block.eff", Map.of("seqLen", "512"), false),
            new PeerModel("block128", "bench/peers/block.eff", Map.of("seqLen", "128"), false),
            new PeerModel("infer4", "scripts/char_transformer.eff", Map.of(), true),
            new PeerModel("quickstart", "scripts/quickstart.eff", Map.of(), false),
            new PeerModel("moe", "bench/peers/moe.eff", Map.of(), false));

    static PeerModel named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown model '" + name + "'; the models are " + ALL.stream().map(PeerModel::name).toList()));
    }

    /** The script's first train statement, checked with the overrides; {@code root} is the repository. */
    TrainJob job(Path root) {
        Frontend.Result checked = Frontend.check(root.resolve(script), Registry.standard(), overrides);
        if (!checked.ok()) throw new IllegalArgumentException(checked.diagnostics().render());
        return (TrainJob) checked.program().jobs().stream().filter(j -> j instanceof TrainJob).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(script + " has no train statement"));
    }

    /**
     * The transformer of a peer model, as a PyTorch peer rebuilds it: token and learned position embeddings of width
     * {@code d}, {@code layers} pre-norm blocks (attention, then an MLP of width {@code hidden} with the exact GELU, or a
     * mixture of {@code experts} experts of width {@code expertHidden} with expert choice at capacity factor {@code k}),
     * a final layer norm and logits. {@code zloss} weights the router z-loss in the loss (crossEntropy() otherwise).
     * {@code stepFlops} are the cost model's forward FLOPs per example times the batch, times 3 for a train step
     * (forward, and a backward of twice the forward: the convention of {@code eff bench}).
     */
    record Description(String name, boolean inference, int batch, long seq, long vocab, long d, long heads, long layers,
                       boolean causal, long hidden, long experts, long expertHidden, double k, long classes, double eps,
                       double zloss, Args optimizer, long params, long forwardFlops, long stepFlops) {

        /** {@code key=value} pairs separated by spaces: the reply to {@code load}. */
        String line() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", name);
            f.put("kind", inference ? "infer" : "train");
            f.put("batch", batch);
            f.put("seq", seq);
            f.put("vocab", vocab);
            f.put("d", d);
            f.put("heads", heads);
            f.put("layers", layers);
            f.put("causal", causal);
            f.put("hidden", hidden);
            f.put("experts", experts);
            f.put("expertHidden", expertHidden);
            f.put("k", k);
            f.put("classes", classes);
            f.put("eps", eps);
            f.put("zloss", zloss);
            for (String p : List.of("lr", "warmup", "schedule", "minLr", "weightDecay", "beta1", "beta2", "eps", "clip")) {
                if (optimizer.has(p)) f.put("opt." + p, optimizer.get(p).render());
            }
            f.put("params", params);
            f.put("forwardFlops", forwardFlops);
            f.put("stepFlops", stepFlops);
            StringBuilder sb = new StringBuilder();
            f.forEach((key, v) -> sb.append(sb.length() == 0 ? "" : " ").append(key).append('=').append(
                    v instanceof Double x ? String.format(Locale.ROOT, "%s", x) : v));
            return sb.toString();
        }
    }

    /** The description of this model's {@code job}; refuses a model the peers cannot mirror, saying what differs. */
    Description describe(TrainJob job) throws dev.eff.dsl.check.ShapeException {
        long vocab = 0, d = 0, heads = 0, layers = 0, hidden = 0, experts = 0, expertHidden = 0, classes = 0;
        double k = 0, eps = 0;
        boolean causal = false;
        for (Node n : job.model().nodes()) {
            if (!(n instanceof Node.Apply a)) continue;
            Args args = a.args();
            String what = a.spec().signature().name();
            switch (what) {
                case "embed" -> {
                    require(args.symbol("position").equals("learned"), "embed(position = learned)");
                    vocab = args.integer("vocab");
                    d = args.integer("dim");
                }
                case "layerNorm" -> eps = same(eps, args.real("eps"), "layerNorm eps");
                case "attention" -> {
                    require("softmax".equals(a.spec().signature().variant()), "attention(softmax)");
                    heads = same(heads, args.integer("heads"), "heads");
                    causal = args.bool("causal");
                    layers++;
                }
                case "mlp" -> {
                    require(args.call("activation").name().equals("gelu") && args.integer("out") == 0, "mlp(activation = gelu)");
                    hidden = same(hidden, args.integer("hidden"), "mlp hidden");
                }
                case "moe" -> {
                    Value.Call route = args.call("route");
                    require(route.name().equals("expertChoice") && args.symbol("activation").equals("gelu")
                            && args.integer("group") == 0, "moe(route = expertChoice(...), activation = gelu, group = 0)");
                    experts = same(experts, args.integer("experts"), "experts");
                    long h = args.integer("hidden");
                    expertHidden = same(expertHidden, h == 0 ? 4 * d : h, "expert hidden");
                    require(routeArg(route, "evalK") == 0, "expertChoice without evalK");
                    k = routeArg(route, "k");
                }
                case "logits" -> classes = args.integer("classes");
                default -> throw new IllegalArgumentException("the peers have no '" + what + "' (" + a.path() + ")");
            }
        }
        require(vocab > 0 && layers > 0 && classes > 0 && (hidden > 0) != (experts > 0),
                "embed, blocks of attention and mlp or moe, logits");
        long seq = job.model().inputs().get(0).shape().example()[0];
        var cost = job.model().cost();
        long perStep = cost.flops() * (inference ? 1 : job.batch());
        return new Description(name, inference, inference ? 1 : job.batch(), seq, vocab, d, heads, layers, causal, hidden,
                experts, expertHidden, k, classes, eps, zlossWeight(job.loss()), job.optimizer().asArgs(), cost.params(),
                cost.flops(), inference ? perStep : 3 * perStep);
    }

    /** A real argument of a router call, or its default. */
    private static double routeArg(Value.Call route, String name) {
        Value v = route.args().containsKey(name) ? route.args().get(name) : route.spec().signature().params().stream()
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow().defaultValue();
        return v instanceof Value.Int i ? i.value() : ((Value.Float) v).value();
    }

    /** The weight of {@code aux.zloss} in a loss {@code crossEntropy()} or {@code crossEntropy() + w * aux.zloss}. */
    static double zlossWeight(Value loss) {
        if (loss instanceof Value.Call c && plainCrossEntropy(c)) return 0;
        if (loss instanceof Value.Formula f && f.op().equals("+") && f.left() instanceof Value.Call c && plainCrossEntropy(c)
                && f.right() instanceof Value.Formula w && w.op().equals("*") && w.right() instanceof Value.Aux aux
                && aux.name().equals("zloss")) {
            if (w.left() instanceof Value.Float x) return x.value();
            if (w.left() instanceof Value.Int x) return x.value();
        }
        throw new IllegalArgumentException("the peers compute crossEntropy() or crossEntropy() + w * aux.zloss, not "
                + loss.render());
    }

    private static boolean plainCrossEntropy(Value.Call c) {
        return c.name().equals("crossEntropy") && (!c.args().containsKey("labelSmoothing")
                || ((Value.Float) c.args().get("labelSmoothing")).value() == 0);
    }

    private static long same(long seen, long value, String what) {
        require(seen == 0 || seen == value, "one " + what + " for every block");
        return value;
    }

    private static double same(double seen, double value, String what) {
        require(seen == 0 || seen == value, "one " + what + " for every layer");
        return value;
    }

    private static void require(boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException("the peers mirror only " + what);
    }
}
