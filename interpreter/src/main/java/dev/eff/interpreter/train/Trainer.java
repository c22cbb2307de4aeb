package dev.eff.interpreter.train;

import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.dsl.check.TrainJob;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.optim.Schedules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Trains a compiled model: seeded mini-batches, one optimizer step per batch with the scheduled learning
 * rate, optional clipping of the gradient's global L2 norm, and decoupled weight decay on weight matrices.
 * Each step computes the loss and gradients first and applies the update only when the loss is finite, so a
 * diverging run stops with the last finite weights in place. Same seed, same data: same losses.
 *
 * <p>The optimizer's state belongs to the model ({@link OptimizerState}): a statement continues the step count and
 * moments of the model's earlier statements, and its schedule spans the steps before it plus its own. Batches and
 * the random draws of step {@code i} depend only on the seed and {@code i}, so a run resumed from a checkpoint
 * ({@link ResumeState}) takes exactly the steps the uninterrupted run would have.
 */
public final class Trainer {
    private final StopFlag stop;

    public Trainer() { this(new StopFlag()); }

    /** A trainer that ends a run cleanly between two steps once {@code stop} is requested. */
    public Trainer(StopFlag stop) { this.stop = stop; }

    /** Where a resumed statement picks up: the steps already done, with their losses and auxiliary losses. */
    public record ResumePoint(long step, double[] losses, Map<String, double[]> auxiliaries) {}

    /** A statement on a model with a fresh optimizer, from its first step. */
    public TrainResult train(CompiledModel model, Dataset data, TrainPlan plan, TrainListener listener)
            throws RunFailure, IOException {
        return train(model, data, plan, new OptimizerState(), null, listener);
    }

    /**
     * A statement continuing the model's {@code optimizer} (advanced in place), from step {@code from.step()} of this
     * statement when resuming (null: from its start). The result holds the losses of all its steps, resumed ones included.
     */
    public TrainResult train(CompiledModel model, Dataset data, TrainPlan plan, OptimizerState optimizer, ResumePoint from,
                             TrainListener listener) throws RunFailure, IOException {
        if (model.loss() == null) throw new IllegalArgumentException("model was compiled without a loss");
        long total = plan.totalSteps(data.size());
        if (total > TrainJob.MAX_STEPS) {
            throw new RunFailure(plan.span(), String.format(java.util.Locale.ROOT,
                    "this training would take %,d steps (%d epochs of %,d examples in batches of %d), more than the limit of %,d",
                    total, plan.epochs(), data.size(), plan.batch(), TrainJob.MAX_STEPS), "use fewer epochs or a larger batch");
        }
        int first = from == null ? 0 : Math.toIntExact(from.step());
        optimizer.use(plan.optimizer().signature().title());
        long statementStart = optimizer.step() - first;
        ISchedule lr = Schedules.learningRate(plan.optimizerArgs(), statementStart + total);
        IUpdater config = plan.optimizer().updater(plan.optimizerArgs(), lr);
        double clip = Schedules.clip(plan.optimizerArgs());
        double decay = plan.optimizer().weightDecay(plan.optimizerArgs());

        Map<String, INDArray> params = ParameterRoles.updated(model, plan.freeze());
        Map<String, GradientUpdater<?>> updaters = optimizer.updaters(config, params);
        Backprop backprop = new Backprop(model, params.keySet(), listener.graphListeners());
        BatchOrder order = new BatchOrder(data.size(), plan.batch(), plan.seed());
        order.skip(first);
        CollectorPacer collector = new CollectorPacer();
        LossLog losses = new LossLog();
        SideOutputLog side = new SideOutputLog(model.auxiliaries().keySet(), model.probes(), total);
        if (from != null) {
            for (double l : from.losses()) losses.add(l);
            side.restore(from.auxiliaries());
        }
        LossWatch watch = new LossWatch(plan.span());
        long seen = 0, start = System.nanoTime();
        listener.started(total, data.size());
        for (int step = first; step < total; step++) {
            if (stop.requested()) {
                Path saved = step > first && plan.checkpoint() != null ? plan.checkpoint() : null;
                if (saved != null) {
                    checkpoint(model, plan, optimizer, total, step, losses, side, saved);
                    listener.checkpointed(step, saved);
                }
                listener.finished();
                throw TrainingInterrupted.afterStep(step, total, saved, plan.span());
            }
            Dataset b = data.select(order.next());
            Nd4j.getRandom().setSeed(stepSeed(plan.seed(), step));
            Backprop.Result out = backprop.run(model.feed(b.inputs(), b.labels(), true));
            double loss = out.loss();
            if (!Double.isFinite(loss)) throw new TrainingDiverged(step + 1, loss, plan.span());
            watch.observe(step + 1, loss);
            Map<String, INDArray> grads = out.gradients();
            if (clip > 0) clipGlobalNorm(grads.values(), clip);
            int global = Math.toIntExact(optimizer.step());
            double rate = lr.valueAt(global, 0);
            for (var e : grads.entrySet()) {
                INDArray g = e.getValue(), p = params.get(e.getKey());
                updaters.get(e.getKey()).applyUpdater(g, global, 0);
                if (decay > 0 && p.rank() >= 2) p.muli(1 - rate * decay);
                p.subi(g);
            }
            optimizer.advance();
            model.variables().afterStep(optimizer.step());   // the model's steps, so schedules continue across statements
            collector.afterStep();
            losses.add(loss);
            side.record(step, out.auxiliaries(), out.probes());
            if (!out.auxiliaries().isEmpty()) listener.auxiliaries(step + 1, out.auxiliaries());
            seen += b.size();
            listener.step(step + 1, total, loss, seen, (System.nanoTime() - start) / 1e9);
            boolean early = listener.stopEarly();
            boolean last = step + 1 == total || early;
            if (plan.checkpoint() != null && (last || plan.checkpointEvery() > 0 && (step + 1) % plan.checkpointEvery() == 0)) {
                checkpoint(model, plan, optimizer, total, step + 1, losses, side, plan.checkpoint());
                listener.checkpointed(step + 1, plan.checkpoint());
            }
            if (early) break;
        }
        listener.finished();
        return new TrainResult(losses.values(), losses.every(), losses.steps(), losses.last(), seen,
                (System.nanoTime() - start) / 1e9, side);
    }

    /**
     * Writes the checkpoint after {@code stepsDone} steps of this statement: the graph with all its variables
     * ({@code target}, loadable with {@code SameDiff.load}) and, beside it, the {@link ResumeState} to continue from.
     */
    public static void checkpoint(CompiledModel model, TrainPlan plan, OptimizerState optimizer, long total, long stepsDone,
                                  LossLog losses, SideOutputLog side, Path target) throws IOException {
        Checkpoints.save(model.sd(), target);
        Map<String, double[]> aux = side.auxiliaries();
        var header = new ResumeState.Header(ResumeState.FORMAT, plan.span().location(), model.graph().instance(), plan.seed(),
                plan.batch(), total, optimizerCall(plan), optimizer.key(), optimizer.step(), stepsDone,
                losses.values(), aux);
        new ResumeState(header, model.parameters(), optimizer.views()).write(ResumeState.fileFor(target));
    }

    /** The optimizer call as the script resolved it, e.g. {@code adam(lr = 0.001, ...)}. */
    public static String optimizerCall(TrainPlan plan) {
        return plan.optimizer().signature().title() + "(" + plan.optimizerArgs().render() + ")";
    }

    /**
     * The seed of ND4J's generator for step {@code step} (dropout masks): a function of the run's seed and the step,
     * never 0, which ND4J takes as "seed from the clock" (so {@code seed = 0}, the default, was not reproducible).
     */
    static long stepSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return z == 0 ? 1 : z;
    }

    /** Scales all gradients by {@code max / ‖g‖₂} when their joint L2 norm exceeds {@code max}; returns the norm. */
    public static double clipGlobalNorm(java.util.Collection<INDArray> grads, double max) {
        double sq = 0;
        for (INDArray g : grads) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        if (norm > max) for (INDArray g : grads) g.muli(max / norm);
        return norm;
    }
}
