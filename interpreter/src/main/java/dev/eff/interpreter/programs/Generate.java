package dev.eff.interpreter.programs;

import com.google.auto.service.AutoService;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.Kind;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Param;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Signature;
import dev.eff.dsl.check.Type;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.StepCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.stdlib.Component;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@code generate MODEL { prompt = "...", tokens = n, temperature = t, topK = k, seed = s }}: autoregressive sampling
 * from a causal language model over byte ids (charText data), streaming each token as it is chosen. Decodes with
 * key/value caches when every layer has a step lowering, else runs the whole model over the growing text.
 */
@AutoService(Component.class)
public final class Generate implements Program {

    /** The most tokens one statement may ask for. */
    public static final long MAX_TOKENS = 1_000_000;

    private static final Signature SIGNATURE = new Signature(Kind.PROGRAM, "generate", null,
            "Generates text from a causal language model over byte ids (charText data), one token at a time, "
                    + "streaming it to the terminal: greedy at temperature 0, else sampled. Decodes with key/value caches "
                    + "(each token costs one position) when every layer has a step lowering.",
            List.of(Param.of("prompt", new Type.Str(), new Value.Str(""), "the text to continue (its UTF-8 bytes are the token ids); empty: the text after a newline"),
                    Param.of("tokens", new Type.Int(1, MAX_TOKENS), 200, "how many tokens to generate"),
                    Param.of("temperature", new Type.Real(0, Double.POSITIVE_INFINITY, false), 1.0,
                            "softmax temperature of the sampling; 0 picks the most likely token (greedy)"),
                    Param.of("topK", Type.atLeast(0), 0, "sample among the k most likely tokens only; 0: all"),
                    Param.of("seed", Type.integer(), 0, "seed of the sampling: one seed, one text"),
                    Param.of("cache", new Type.Bool(), true,
                            "decode with key/value caches; false runs the whole model for every token (for comparison)"),
                    Param.of("earlyExit", new Type.Bool(), true,
                            "for a model with exit(calm): stop each token at its first confident exit; false runs every block")));

    @Override public Signature signature() { return SIGNATURE; }

    @Override public DataUse data() { return DataUse.OPTIONAL; }

    @Override
    public void check(Args settings, ModelGraph model, DataBinding data) throws Problem {
        String hint = "generate needs a causal language model over token ids, e.g. trained on charText(...) data";
        if (model.inputs().size() != 1 || model.inputs().get(0).shape().dtype() != DType.INT || model.inputs().get(0).shape().rank() != 2) {
            throw new Problem(null, "model " + model.instance() + " does not read one sequence of token ids int[B, T] (data '"
                    + data.name() + "' gives " + describe(model.inputs()) + ")", hint);
        }
        Shape out = model.outputShape();
        if (out.rank() != 3 || out.dtype() != DType.FLOAT) {
            throw new Problem(null, "model " + model.instance() + " outputs " + out.describe()
                    + ", not next-token logits float[B, T, vocab]", hint);
        }
        for (Node n : model.nodes()) {
            if (!(n instanceof Node.Apply a)) continue;
            String at = a.path() + " at " + a.span().line() + ":" + a.span().column();
            if (a.args().has("causal") && a.args().get("causal") instanceof Value.Bool b && !b.value()) {
                throw new Problem(null, "model " + model.instance() + " is not causal: " + at + " lets each position attend to later ones",
                        "train the model with " + a.spec().signature().name() + "(..., causal = true) to generate from it");
            }
            try {
                a.spec().checkInCausalModel(a.args());
            } catch (dev.eff.dsl.check.ShapeException e) {
                throw new Problem(null, "model " + model.instance() + " is not causal: " + at + ": " + e.getMessage(), e.hint());
            }
        }
        long vocab = out.dim(-1) instanceof dev.eff.dsl.check.Dim.Fixed f ? f.size() : Long.MAX_VALUE;
        byte[] prompt = settings.str("prompt").getBytes(StandardCharsets.UTF_8);
        for (byte b : prompt) {
            if ((b & 0xFF) >= vocab) {
                throw new Problem("prompt", "the prompt holds byte " + (b & 0xFF) + ", beyond the model's " + vocab + " token ids",
                        "write the prompt in characters the model was trained on");
            }
        }
    }

    private static String describe(List<ModelGraph.Input> inputs) {
        return String.join(", ", inputs.stream().map(i -> i.shape().describe()).toList());
    }

    @Override
    public JobReport run(ProgramJob job, Session session) {
        Args s = job.settings();
        CompiledModel full = session.inference(job);
        TokenModel model = null;
        if (s.bool("earlyExit") && dev.eff.dsl.check.DecoderStack.of(job.model()).isPresent()) {
            CalmDecoder.Threshold threshold = CalmDecoder.threshold(CalmDecoder.exitArgs(job.model()), session.calibration(job));
            model = CalmDecoder.forJob(job, session, threshold.value(), s.i("tokens"));
            if (model != null) session.note("early exit: " + threshold.source());
        }
        if (model == null) model = tokenModel(job, session, full, s.bool("cache"));
        byte[] promptBytes = s.str("prompt").getBytes(StandardCharsets.UTF_8);
        int[] prompt = new int[Math.max(1, promptBytes.length)];
        prompt[0] = '\n';
        for (int i = 0; i < promptBytes.length; i++) prompt[i] = promptBytes[i] & 0xFF;
        CalmDecoder calm = model instanceof CalmDecoder c ? c : null;
        TokenSink sink = session.tokens(calm == null ? 0 : calm.layers());
        long start = System.nanoTime();
        int[] tokens = Decoding.generate(model, prompt, s.i("tokens"), new Sampler(s.real("temperature"), s.i("topK"), s.integer("seed")),
                t -> sink.token(t, calm == null ? 0 : calm.lastExit()), Decoding.LogitsListener.NONE, session::stopRequested);
        double secs = (System.nanoTime() - start) / 1e9;
        sink.end();
        return new JobReport("generate", job.span().location(), job.model().instance(), job.model().cost().params(), job.data().name(),
                job.split(), null, null, null, 1, null, s.integer("seed"), null, null,
                CalmDecoder.metrics(model, tokens.length / Math.max(secs, 1e-9)), tokens.length, 0, secs, null, null, null, null);
    }

    /** The cached decoder when {@code cache} and every layer allows it; else the whole model, saying why once. */
    static TokenModel tokenModel(ProgramJob job, Session session, CompiledModel full, boolean cache) {
        int positions = Math.toIntExact(((dev.eff.dsl.check.Dim.Fixed) job.model().inputs().get(0).shape().dim(1)).size());
        String missing = StepCompiler.withoutStepLowering(job.model());
        if (cache && missing == null) {
            StepCompiler steps = session.compiler().steps();
            long seed = session.seed(job);
            return new TokenModel.Cached(steps.compile(job.model(), session.variables(job), seed, DataType.FLOAT, true),
                    steps.compile(job.model(), session.variables(job), seed, DataType.FLOAT, false), positions);
        }
        if (cache) session.note("layer " + missing + " has no step lowering: generate runs the whole model for every token");
        return new TokenModel.Full(full);
    }
}
