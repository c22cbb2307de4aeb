package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.compile.StepCompiler;
import dev.eff.interpreter.programs.Decoding;
import dev.eff.interpreter.programs.Sampler;
import dev.eff.interpreter.programs.TokenModel;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Decoding speed of the model of scripts/char_transformer.eff (its generate statement): tokens per second with
 * key/value caches (one position per token) against running the whole model over the growing text for every token.
 * Weights are the seeded initial ones (speed does not depend on them); greedy decoding of {@code tokens} tokens after
 * a 4-byte prompt, {@code reps} alternating repetitions after one warm-up each; prints each repetition and the
 * medians, and checks that both produce the same tokens.
 * Run: {@code interpreter/bench.sh DecodingBench [reps] [tokens] [script]}.
 */
public final class DecodingBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 124;
        dev.eff.accelerators.Backend.configure();
        Path script = Path.of(args.length > 2 ? args[2] : "scripts/char_transformer.eff");
        var checked = Frontend.check(script, Registry.standard(), Map.of());
        if (checked.program() == null) {
            System.err.print(checked.diagnostics().render());
            System.exit(65);
        }
        ProgramJob job = checked.program().jobs().stream().filter(j -> j instanceof ProgramJob p && p.program().name().equals("generate"))
                .map(j -> (ProgramJob) j).findFirst().orElseThrow(() -> new IllegalArgumentException(script + " has no generate statement"));
        ModelGraph g = job.model();
        Parameters vars = new Parameters(ModelCompiler.namespace(g));
        ModelCompiler compiler = ModelCompiler.standard();
        CompiledModel full = compiler.inference(g, job.data().schema(), vars, 1, DataType.FLOAT);
        StepCompiler steps = compiler.steps();
        int positions = Math.toIntExact(((dev.eff.dsl.check.Dim.Fixed) g.inputs().get(0).shape().dim(1)).size());
        TokenModel cached = new TokenModel.Cached(steps.compile(g, vars, 1, DataType.FLOAT, true),
                steps.compile(g, vars, 1, DataType.FLOAT, false), positions);
        TokenModel whole = new TokenModel.Full(full);
        int[] prompt = "The ".chars().toArray();
        System.out.printf(Locale.ROOT, "%s: %d positions, %,d parameters; %d tokens after a %d-byte prompt, greedy%n",
                g.instance(), positions, g.cost().params(), tokens, prompt.length);
        int[] a = Decoding.generate(cached, prompt, tokens, new Sampler(0, 0, 0), t -> {}, Decoding.LogitsListener.NONE);
        int[] b = Decoding.generate(whole, prompt, tokens, new Sampler(0, 0, 0), t -> {}, Decoding.LogitsListener.NONE);
        System.out.println("same tokens: " + Arrays.equals(a, b));
        double[] c = new double[reps], u = new double[reps];
        for (int r = 0; r < reps; r++) {
            c[r] = tokensPerSecond(cached, prompt, tokens);
            u[r] = tokensPerSecond(whole, prompt, tokens);
            System.out.printf(Locale.ROOT, "rep %d: cached %.1f tokens/s, uncached %.1f tokens/s%n", r + 1, c[r], u[r]);
        }
        double mc = median(c), mu = median(u);
        System.out.printf(Locale.ROOT, "median: cached %.1f tokens/s, uncached %.1f tokens/s, ratio %.2f%n", mc, mu, mc / mu);
    }

    static double tokensPerSecond(TokenModel m, int[] prompt, int tokens) {
        long start = System.nanoTime();
        Decoding.generate(m, prompt, tokens, new Sampler(0, 0, 0), t -> {}, Decoding.LogitsListener.NONE);
        return tokens / ((System.nanoTime() - start) / 1e9);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
