package dev.eff.interpreter.programs;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.Dim;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.interpreter.compile.StepCompiler;
import dev.eff.interpreter.compile.StepGraph;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.layers.Calm;
import dev.eff.stdlib.layers.ExitClassifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CALM decoding of an {@code exit(calm)} model, one token at a time with key/value caches: the stem, then block by
 * block; after block i (from {@code minExit} on) the confidence of exit i is compared with the threshold, and the
 * first exit that passes it gives the logits, through the shared head. The blocks the token skips get the exiting
 * state as their input for this position and compute only their caches from it (the paper's state propagation), all
 * in one graph call, so later tokens that go deeper attend to this position as usual. Tokens whose logits nobody reads (the prompt, a
 * window restart) run every block.
 */
public final class CalmDecoder implements TokenModel {

    /**
     * The graphs of one position kind (the first, or a later one): stem, each block, head, and the whole model in one
     * graph for tokens that run every block anyway (one call instead of one per segment). The head is also split at
     * the exit layer, for the exit classifiers, which read the state after the final norm: {@code norm} up to the
     * exit, {@code output} after it. {@code propagation.get(i)} computes, in one call, the caches of every block after
     * block i from the state a token exits with there.
     */
    private record Segments(StepGraph stem, List<StepGraph> blocks, StepGraph head, StepGraph norm, StepGraph output,
                            List<StepGraph> propagation, StepGraph whole) {}

    /** How to decide: the measure, the threshold λ and its schedule, the first exit allowed. */
    public record Policy(String measure, double threshold, boolean positionAdjusted, double positionTemp, int minExit,
                         int horizon) {
        public static Policy of(Args exit, double threshold, int horizon) {
            return new Policy(exit.symbol("measure"), threshold, exit.bool("positionAdjusted"), exit.real("positionTemp"),
                    exit.i("minExit"), horizon);
        }

        /** This policy with another threshold (calibration tries many). */
        public Policy withThreshold(double t) { return new Policy(measure, t, positionAdjusted, positionTemp, minExit, horizon); }
    }

    private final Segments first, next;
    private final int positions;
    private Policy policy;
    private Map<String, INDArray> caches = new HashMap<>();
    private int position;
    private final List<Integer> exits = new ArrayList<>();
    /** The exit classifiers' weights (one row per exit but the last) and biases, for {@code measure = classifier}. */
    private final double[][] classifierW;
    private final double[] classifierB;

    public CalmDecoder(StepCompiler steps, ModelGraph graph, Parameters variables, long seed, int positions, Policy policy) {
        DecoderStack stack = DecoderStack.of(graph).orElseThrow(() -> new IllegalArgumentException(graph.instance() + " has no early exit"));
        this.first = segments(steps, graph, stack, variables, seed, true);
        this.next = segments(steps, graph, stack, variables, seed, false);
        this.positions = positions;
        this.policy = policy;
        String exitPath = ((Node.Apply) graph.nodes().get(stack.exit())).path();
        Parameters.Variable w = variables.get(variables.fullName(exitPath, Calm.CLASSIFIER_W));
        Parameters.Variable b = variables.get(variables.fullName(exitPath, Calm.CLASSIFIER_B));
        if (policy.measure().equals("classifier") && (w == null || b == null)) {
            throw new IllegalStateException(graph.instance() + " has no exit classifiers: compile one of its graphs first");
        }
        this.classifierW = w == null ? null : w.array().castTo(DataType.DOUBLE).toDoubleMatrix();
        this.classifierB = b == null ? null : b.array().castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static Segments segments(StepCompiler steps, ModelGraph g, DecoderStack stack, Parameters vars, long seed, boolean first) {
        List<StepGraph> blocks = new ArrayList<>(), propagation = new ArrayList<>();
        for (int b = 0; b < stack.blocks(); b++) {
            blocks.add(steps.compile(g, stack.blockStarts().get(b), stack.blockEnds().get(b), vars, seed, DataType.FLOAT, first));
        }
        for (int exit = 0; exit < stack.blocks() - 1; exit++) {
            List<int[]> skipped = new ArrayList<>();
            for (int b = exit + 1; b < stack.blocks(); b++) skipped.add(new int[] {stack.blockStarts().get(b), stack.blockEnds().get(b)});
            propagation.add(steps.compile(g, skipped, vars, seed, DataType.FLOAT, first));
        }
        return new Segments(steps.compile(g, 0, stack.blockStarts().get(0), vars, seed, DataType.FLOAT, first), blocks,
                steps.compile(g, stack.headStart(), g.nodes().size(), vars, seed, DataType.FLOAT, first),
                steps.compile(g, stack.headStart(), stack.exit() + 1, vars, seed, DataType.FLOAT, first),
                steps.compile(g, stack.exit() + 1, g.nodes().size(), vars, seed, DataType.FLOAT, first), propagation,
                steps.compile(g, vars, seed, DataType.FLOAT, first));
    }

    /**
     * The CALM decoder of the job's model over its current weights, with {@code threshold}; null when the model has no
     * early exit or a layer without a step lowering.
     */
    static CalmDecoder forJob(ProgramJob job, Session session, double threshold, int horizon) {
        ModelGraph g = job.model();
        if (DecoderStack.of(g).isEmpty()) return null;
        if (StepCompiler.withoutStepLowering(g) != null) return null;
        int positions = Math.toIntExact(((Dim.Fixed) g.inputs().get(0).shape().dim(1)).size());
        return new CalmDecoder(session.compiler().steps(), g, session.variables(job), session.seed(job), positions,
                Policy.of(exitArgs(g), threshold, horizon));
    }

    /** The threshold decoding uses, and in words where it comes from. */
    public record Threshold(double value, String source) {}

    /**
     * The threshold of the model's calibration when it certifies the exit as the script now declares it, else the
     * exit's {@code threshold} argument (saying why).
     */
    public static Threshold threshold(Args exit, Calibration.Stored stored) {
        String fallback = String.format(java.util.Locale.ROOT, "threshold %.4g, the exit's threshold argument", exit.real("threshold"));
        if (stored == null) return new Threshold(exit.real("threshold"), fallback + " (the model has not been calibrated)");
        List<String> differ = stored.calibration().differences(exit);
        if (!differ.isEmpty()) {
            return new Threshold(exit.real("threshold"), fallback + ": the calibration from " + stored.source()
                    + " was made for another exit (" + String.join("; ", differ) + "); run calibrate again");
        }
        return new Threshold(stored.calibration().lambda(), stored.calibration().describe() + ", from " + stored.source());
    }

    /** A decoding's figures: tokens/s and, for CALM, the threshold and the blocks used per token. */
    static Map<String, Double> metrics(TokenModel model, double tokensPerSecond) {
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("tokens/s", tokensPerSecond);
        if (model instanceof CalmDecoder c && !c.exits().isEmpty()) {
            m.put("threshold", c.policy.threshold());
            m.put("layers/token", c.exits().stream().mapToInt(Integer::intValue).average().orElse(0));
            m.put("layers", (double) c.layers());
            for (int k = 1; k <= c.layers(); k++) {
                final int exit = k;
                m.put("exit@" + k, c.exits().stream().filter(e -> e == exit).count() / (double) c.exits().size());
            }
        }
        return m;
    }

    /** The exit arguments of a checked model: its {@code exit(calm, ...)} call's. */
    public static Args exitArgs(ModelGraph graph) {
        DecoderStack stack = DecoderStack.of(graph).orElseThrow();
        return ((Node.Apply) graph.nodes().get(stack.exit())).args();
    }

    public void policy(Policy policy) { this.policy = policy; }

    /** The number of exits (blocks). */
    public int layers() { return first.blocks().size(); }

    /**
     * The exit (1 … layers) of every token whose logits were asked for since the last {@link #clearExits()}; their
     * count is the t of the position-adjusted threshold.
     */
    public List<Integer> exits() { return List.copyOf(exits); }

    public void clearExits() { exits.clear(); }

    /** The exit of the latest token whose logits were asked for (0 before any). */
    public int lastExit() { return exits.isEmpty() ? 0 : exits.get(exits.size() - 1); }

    @Override public int positions() { return positions; }

    @Override
    public void reset() {
        caches = new HashMap<>();
        position = 0;
    }

    @Override
    public double[] append(int token, boolean wanted) {
        if (position >= positions) throw new IllegalStateException("the context is full: " + positions + " positions");
        Segments s = position == 0 ? first : next;
        INDArray ids = Nd4j.createFromArray(new int[][] {{token}});
        if (!wanted) {
            run(s.whole(), ids);
            position++;
            return null;
        }
        INDArray h = run(s.stem(), ids);
        double[] logits = null;
        int layers = s.blocks().size();
        double lambda = Calm.threshold(policy.threshold(), policy.positionAdjusted(), policy.positionTemp(), exits.size(), policy.horizon());
        for (int i = 0; i < layers && logits == null; i++) {
            INDArray previous = h;
            h = run(s.blocks().get(i), h);
            if (i == layers - 1) logits = logits(s.head(), h);
            else if (i + 1 >= policy.minExit()) logits = exitLogits(s, i, previous, h, lambda);
            if (logits != null) {
                if (i < layers - 1) caches.putAll(s.propagation().get(i).cachesOnly(h, position, caches));
                exits.add(i + 1);
            }
        }
        position++;
        return logits;
    }

    /**
     * The logits of exit i (0-based, not the last) for block output {@code h} when its confidence reaches
     * {@code lambda}, else null. Each measure computes only what it needs: the softmax response the head's logits
     * (kept when it exits), the state saturation nothing before it exits, the classifier the norm's output.
     */
    private double[] exitLogits(Segments s, int i, INDArray previous, INDArray h, double lambda) {
        switch (policy.measure()) {
            case "softmax" -> {
                double[] logits = logits(s.head(), h);
                return Calm.softmaxDiff(logits) >= lambda ? logits : null;
            }
            case "state" -> {
                double c = i == 0 ? 0 : Calm.stateCosine(previous.reshape(-1).toDoubleVector(), h.reshape(-1).toDoubleVector());
                return c >= lambda ? logits(s.head(), h) : null;
            }
            case "classifier" -> {
                INDArray normed = s.norm().run(h, position, caches).output();
                double c = ExitClassifier.confidence(normed.reshape(-1).toDoubleVector(), classifierW[i], classifierB[i]);
                return c >= lambda ? logits(s.output(), normed) : null;
            }
            default -> throw new IllegalArgumentException("measure " + policy.measure());
        }
    }

    private INDArray run(StepGraph g, INDArray input) {
        StepGraph.Result r = g.run(input, position, caches);
        caches.putAll(r.caches());
        return r.output();
    }

    private double[] logits(StepGraph head, INDArray h) {
        return head.run(h, position, caches).output().reshape(-1).toDoubleVector();
    }

    /** The caches as they stand (cache key {@code layerPath/name} to [B, heads, positions, dh]), for tests. */
    Map<String, INDArray> caches() { return Map.copyOf(caches); }
}
