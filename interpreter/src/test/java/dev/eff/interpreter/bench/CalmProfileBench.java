package dev.eff.interpreter.bench;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.DecoderStack;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.compile.StepCompiler;
import dev.eff.interpreter.compile.StepGraph;
import dev.eff.stdlib.DataSource;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.Registry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one CALM token costs, piece by piece, on a script's trained weights (its checkpoint): every step graph the
 * early-exit decoder calls, timed at the same position with the same caches (those a 16-byte prompt left): the stem
 * (embedding), each block, the head (final norm and output head: the softmax measure's confidence and the logits), the
 * head split at the exit (norm, then output head: the classifier measure), the state propagation into the skipped
 * blocks (one call per block, and one call for all of them), and the whole model in one graph (what a token of the
 * cached full model costs). {@code reps} rounds alternate over all of them, {@code calls} calls each; the figure is the
 * median over rounds of the mean time per call.
 * Run: {@code interpreter/bench.sh CalmProfileBench [reps] [calls] [script] [checkpoint]}.
 */
public final class CalmProfileBench {
    public static void main(String[] a) throws Exception {
        int reps = a.length > 0 ? Integer.parseInt(a[0]) : 5, calls = a.length > 1 ? Integer.parseInt(a[1]) : 50;
        Path script = Path.of(a.length > 2 ? a[2] : "scripts/calm_lm.eff");
        Path checkpoint = Path.of(a.length > 3 ? a[3] : "scripts/runs/calm_lm.sd");
        dev.eff.accelerators.Backend.configure();
        var checked = Frontend.check(script, Registry.standard(), Map.of());
        ProgramJob job = checked.program().jobs().stream().filter(j -> j instanceof ProgramJob p && p.program().name().equals("calibrate"))
                .map(j -> (ProgramJob) j).findFirst().orElseThrow();
        ModelGraph g = job.model();
        DecoderStack stack = DecoderStack.of(g).orElseThrow();
        Parameters vars = new Parameters(ModelCompiler.namespace(g));
        ModelCompiler compiler = ModelCompiler.standard();
        CompiledModel full = compiler.inference(g, job.data().schema(), vars, 1, DataType.FLOAT);
        SameDiff saved = SameDiff.load(checkpoint.toFile(), false);
        full.parameters().forEach((name, array) -> array.assign(saved.getVariable(name).getArr()));
        Dataset test = ((DataSource) job.data().spec()).load(job.data().args(), "test", Path.of("."));
        Dataset.Ints ids = (Dataset.Ints) test.columns().get(0);

        StepCompiler steps = compiler.steps();
        StepGraph first = steps.compile(g, vars, 1, DataType.FLOAT, true), whole = steps.compile(g, vars, 1, DataType.FLOAT, false);
        Map<String, INDArray> caches = new HashMap<>();
        int position = 16;
        for (int t = 0; t < position; t++) caches = (t == 0 ? first : whole).run(token(ids.at(0, t)), t, caches).caches();
        Map<String, INDArray> at = caches;
        INDArray next = token(ids.at(0, position));

        int layers = stack.blocks();
        StepGraph stem = steps.compile(g, 0, stack.blockStarts().get(0), vars, 1, DataType.FLOAT, false);
        List<StepGraph> blocks = new ArrayList<>();
        for (int b = 0; b < layers; b++) blocks.add(steps.compile(g, stack.blockStarts().get(b), stack.blockEnds().get(b), vars, 1, DataType.FLOAT, false));
        StepGraph head = steps.compile(g, stack.headStart(), g.nodes().size(), vars, 1, DataType.FLOAT, false);
        StepGraph norm = steps.compile(g, stack.headStart(), stack.exit() + 1, vars, 1, DataType.FLOAT, false);
        StepGraph output = steps.compile(g, stack.exit() + 1, g.nodes().size(), vars, 1, DataType.FLOAT, false);
        List<int[]> afterFirst = new ArrayList<>();
        for (int b = 1; b < layers; b++) afterFirst.add(new int[] {stack.blockStarts().get(b), stack.blockEnds().get(b)});
        StepGraph propagateAll = steps.compile(g, afterFirst, vars, 1, DataType.FLOAT, false);

        INDArray h0 = stem.run(next, position, at).output();
        List<INDArray> h = new ArrayList<>();
        INDArray x = h0;
        for (StepGraph b : blocks) h.add(x = b.run(x, position, at).output());
        INDArray normed = norm.run(h.get(0), position, at).output();

        Map<String, Runnable> work = new LinkedHashMap<>();
        work.put("whole model (cached full token)", () -> whole.run(next, position, at));
        work.put("stem (embedding)", () -> stem.run(next, position, at));
        for (int b = 0; b < layers; b++) {
            StepGraph block = blocks.get(b);
            INDArray in = b == 0 ? h0 : h.get(b - 1);
            work.put("block " + (b + 1), () -> block.run(in, position, at));
        }
        work.put("head (norm + logits): softmax confidence", () -> head.run(h.get(0), position, at));
        work.put("head part 1 (norm): classifier", () -> norm.run(h.get(0), position, at));
        work.put("head part 2 (logits)", () -> output.run(normed, position, at));
        work.put("propagate exit 1 -> blocks 2.." + layers + ", one call per block", () -> {
            for (int b = 1; b < layers; b++) blocks.get(b).cachesOnly(h.get(0), position, at);
        });
        work.put("propagate exit 1 -> blocks 2.." + layers + ", one call", () -> propagateAll.cachesOnly(h.get(0), position, at));
        double[] logits = head.run(h.get(0), position, at).output().reshape(-1).toDoubleVector();
        work.put("softmax response in Java (" + logits.length + " logits)", () -> dev.eff.stdlib.layers.Calm.softmaxDiff(logits));

        Map<String, double[]> times = new LinkedHashMap<>();
        work.keySet().forEach(k -> times.put(k, new double[reps]));
        for (var e : work.entrySet()) for (int i = 0; i < 10; i++) e.getValue().run();   // warm-up
        for (int r = 0; r < reps; r++) {
            for (var e : work.entrySet()) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) e.getValue().run();
                times.get(e.getKey())[r] = (System.nanoTime() - start) / 1e3 / calls;
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d blocks, %,d parameters; %d rounds of %d calls at position %d%n",
                g.instance(), layers, g.cost().params(), reps, calls, position);
        System.out.println("| step graph call | median µs per call | min–max over rounds |");
        System.out.println("|---|---|---|");
        times.forEach((name, t) -> {
            double[] sorted = t.clone();
            java.util.Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f–%.0f |%n", name, DecodingBench.median(t), sorted[0], sorted[sorted.length - 1]);
        });
    }

    static INDArray token(int id) {
        return Nd4j.createFromArray(new int[][] {{id}});
    }
}
