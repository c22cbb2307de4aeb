package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.compile.StepCompiler;
import dev.eff.interpreter.programs.Calibrate;
import dev.eff.interpreter.programs.CalmDecoder;
import dev.eff.interpreter.programs.LearnThenTest;
import dev.eff.interpreter.programs.TokenModel;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * CALM against the full model on a script's trained weights (its checkpoint; default scripts/calm_lm.eff's): calibrates the threshold by
 * Learn-then-Test on the first {@code calibration} examples of the test split (one sweep over the grid; the choice per
 * delta from the same risks), then on the next {@code heldOut} examples, disjoint from them, measures greedy decoding:
 * tokens/s of the cached full model and of CALM at each delta's threshold ({@code reps} alternating repetitions,
 * medians), the blocks used per token, and the consistency with the full model's text (1 − mean inconsistency).
 * Tokens/s counts generated tokens over the whole decoding time, prompt included.
 * Run: {@code interpreter/bench.sh CalmBench [reps] [calibration] [heldOut] [script] [checkpoint]}.
 */
public final class CalmBench {
    static final int PROMPT = 16, TOKENS = 16, GRID = 10;
    static final double[] DELTAS = {0.05, 0.1, 0.2};

    public static void main(String[] a) throws Exception {
        int reps = a.length > 0 ? Integer.parseInt(a[0]) : 3;
        int calibration = a.length > 1 ? Integer.parseInt(a[1]) : 60, heldOut = a.length > 2 ? Integer.parseInt(a[2]) : 40;
        Path script = Path.of(a.length > 3 ? a[3] : "scripts/calm_lm.eff");
        Path checkpoint = Path.of(a.length > 4 ? a[4] : "scripts/runs/calm_lm.sd");
        dev.eff.accelerators.Backend.configure();
        var checked = Frontend.check(script, Registry.standard(), Map.of());
        ProgramJob job = checked.program().jobs().stream().filter(j -> j instanceof ProgramJob p && p.program().name().equals("calibrate"))
                .map(j -> (ProgramJob) j).findFirst().orElseThrow();
        ModelGraph g = job.model();
        Parameters vars = new Parameters(ModelCompiler.namespace(g));
        ModelCompiler compiler = ModelCompiler.standard();
        CompiledModel full = compiler.inference(g, job.data().schema(), vars, 1, DataType.FLOAT);
        SameDiff saved = SameDiff.load(checkpoint.toFile(), false);
        full.parameters().forEach((name, array) -> array.assign(saved.getVariable(name).getArr()));
        Dataset test = ((DataSource) job.data().spec()).load(job.data().args(), "test", Path.of("."));
        Dataset.Ints ids = (Dataset.Ints) test.columns().get(0);
        List<int[]> cal = prompts(ids, 0, calibration), held = prompts(ids, calibration, calibration + heldOut);
        int positions = Math.toIntExact(((dev.eff.dsl.check.Dim.Fixed) g.inputs().get(0).shape().dim(1)).size());
        StepCompiler steps = compiler.steps();
        Args exit = CalmDecoder.exitArgs(g);
        double epsilon = exit.real("epsilon");
        CalmDecoder.Policy fullPolicy = CalmDecoder.Policy.of(exit, Double.POSITIVE_INFINITY, TOKENS);
        CalmDecoder calm = new CalmDecoder(steps, g, vars, 1, positions, fullPolicy);
        TokenModel cached = new TokenModel.Cached(steps.compile(g, vars, 1, DataType.FLOAT, true),
                steps.compile(g, vars, 1, DataType.FLOAT, false), positions);
        System.out.printf(Locale.ROOT, "%s: %d blocks, %,d parameters; prompts of %d bytes, %d greedy tokens; %d calibration and %d held-out examples, epsilon %.2f%n",
                g.instance(), calm.layers(), g.cost().params(), PROMPT, TOKENS, calibration, heldOut, epsilon);

        long start = System.nanoTime();
        double maxDelta = DELTAS[DELTAS.length - 1];
        Calibrate.Sweep sweep = Calibrate.sweep(calm, fullPolicy, cal, TOKENS, GRID,
                risk -> LearnThenTest.pValue(risk, cal.size(), maxDelta) > epsilon, () -> false);
        System.out.printf(Locale.ROOT, "calibration sweep (%.0f s):%n", (System.nanoTime() - start) / 1e9);
        for (int j = 0; j < sweep.risks().size(); j++) {
            System.out.printf(Locale.ROOT, "  threshold %.2f: risk %.4f, %.2f blocks/token%n", sweep.thresholds()[j], sweep.risks().get(j), sweep.layers().get(j));
        }
        double[] risks = sweep.risks().stream().mapToDouble(Double::doubleValue).toArray();
        double[] lambda = new double[DELTAS.length];
        for (int k = 0; k < DELTAS.length; k++) {
            var c = LearnThenTest.choose(risks, cal.size(), DELTAS[k], epsilon);
            lambda[k] = c.chosen() < 0 ? Double.POSITIVE_INFINITY : sweep.thresholds()[c.chosen()];
            System.out.printf(Locale.ROOT, "delta %.2f: threshold %s%n", DELTAS[k], c.chosen() < 0 ? "none certified" : String.format(Locale.ROOT, "%.2f (p %.4f)", lambda[k], c.pValues()[c.chosen()]));
        }

        List<int[]> reference = Calibrate.decode(calm, fullPolicy, held, TOKENS, () -> false);
        double[] consistency = new double[DELTAS.length], layers = new double[DELTAS.length];
        for (int k = 0; k < DELTAS.length; k++) {
            calm.clearExits();
            List<int[]> texts = Calibrate.decode(calm, fullPolicy.withThreshold(lambda[k]), held, TOKENS, () -> false);
            double risk = 0;
            for (int i = 0; i < held.size(); i++) risk += Calibrate.inconsistency(reference.get(i), texts.get(i)) / held.size();
            consistency[k] = 1 - risk;
            layers[k] = calm.exits().stream().mapToInt(Integer::intValue).average().orElse(calm.layers());
        }
        double[] fullTps = new double[reps];
        double[][] calmTps = new double[DELTAS.length][reps];
        for (int r = 0; r < reps; r++) {
            fullTps[r] = tokensPerSecond(held.size(), () -> decodeAll(cached, held));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "rep %d: full %.1f", r + 1, fullTps[r]));
            for (int k = 0; k < DELTAS.length; k++) {
                CalmDecoder.Policy p = fullPolicy.withThreshold(lambda[k]);
                calmTps[k][r] = tokensPerSecond(held.size(), () -> Calibrate.decode(calm, p, held, TOKENS, () -> false));
                line.append(String.format(Locale.ROOT, ", delta %.2f %.1f", DELTAS[k], calmTps[k][r]));
            }
            System.out.println(line.append(" tokens/s"));
        }
        double mf = DecodingBench.median(fullTps);
        System.out.printf(Locale.ROOT, "full model: %.1f tokens/s, %d blocks/token%n", mf, calm.layers());
        for (int k = 0; k < DELTAS.length; k++) {
            double m = DecodingBench.median(calmTps[k]);
            System.out.printf(Locale.ROOT, "delta %.2f: threshold %.2f, %.1f tokens/s (%.2fx), %.2f blocks/token, held-out consistency %.4f (guarantee %s)%n",
                    DELTAS[k], lambda[k], m, m / mf, layers[k], consistency[k], 1 - consistency[k] <= DELTAS[k] ? "holds" : "violated");
        }
    }

    static List<int[]> prompts(Dataset.Ints ids, int from, int to) {
        List<int[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int[] p = new int[PROMPT];
            for (int j = 0; j < PROMPT; j++) p[j] = ids.at(i, j);
            out.add(p);
        }
        return out;
    }

    static void decodeAll(TokenModel m, List<int[]> prompts) {
        for (int[] p : prompts) {
            dev.eff.interpreter.programs.Decoding.generate(m, p, TOKENS, new dev.eff.interpreter.programs.Sampler(0, 0, 0), t -> {},
                    dev.eff.interpreter.programs.Decoding.LogitsListener.NONE);
        }
    }

    /** Generated tokens ({@code prompts} × TOKENS) per second of {@code work}. */
    static double tokensPerSecond(int prompts, Runnable work) {
        long start = System.nanoTime();
        work.run();
        return prompts * (double) TOKENS / ((System.nanoTime() - start) / 1e9);
    }
}
