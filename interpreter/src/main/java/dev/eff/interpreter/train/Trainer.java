package dev.eff.interpreter.train;

import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.optim.Schedules;
import java.io.IOException;
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
 */
public final class Trainer {

    public TrainResult train(CompiledModel model, Dataset data, TrainPlan plan, TrainListener listener)
            throws TrainingDiverged, IOException {
        if (model.loss() == null) throw new IllegalArgumentException("model was compiled without a loss");
        long total = plan.totalSteps(data.size());
        ISchedule lr = Schedules.learningRate(plan.optimizerArgs(), total);
        IUpdater config = plan.optimizer().updater(plan.optimizerArgs(), lr);
        double clip = Schedules.clip(plan.optimizerArgs());
        double decay = plan.optimizer().weightDecay(plan.optimizerArgs());
        Nd4j.getRandom().setSeed(plan.seed());

        Map<String, INDArray> params = ParameterRoles.updated(model, plan.freeze());
        Map<String, GradientUpdater<?>> updaters = updaters(config, params);
        Backprop backprop = new Backprop(model, params.keySet());
        BatchOrder order = new BatchOrder(data.size(), plan.batch(), plan.seed());
        CollectorPacer collector = new CollectorPacer();
        double[] losses = new double[Math.toIntExact(total)];
        SideOutputLog side = new SideOutputLog(model.auxiliaries().keySet(), model.probes(), total);
        long seen = 0, start = System.nanoTime();
        listener.started(total, data.size());
        for (int step = 0; step < total; step++) {
            Dataset b = data.select(order.next());
            Backprop.Result out = backprop.run(model.feed(b.inputs(), b.labels(), true));
            double loss = out.loss();
            if (!Double.isFinite(loss)) throw new TrainingDiverged(step + 1, loss, plan.span());
            Map<String, INDArray> grads = out.gradients();
            if (clip > 0) clipGlobalNorm(grads.values(), clip);
            double rate = lr.valueAt(step, 0);
            for (var e : grads.entrySet()) {
                INDArray g = e.getValue(), p = params.get(e.getKey());
                updaters.get(e.getKey()).applyUpdater(g, step, 0);
                if (decay > 0 && p.rank() >= 2) p.muli(1 - rate * decay);
                p.subi(g);
            }
            model.variables().afterStep(step + 1);
            collector.afterStep();
            losses[step] = loss;
            side.record(step, out.auxiliaries(), out.probes());
            if (!out.auxiliaries().isEmpty()) listener.auxiliaries(step + 1, out.auxiliaries());
            seen += b.size();
            listener.step(step + 1, total, loss, seen, (System.nanoTime() - start) / 1e9);
            boolean last = step + 1 == total;
            if (plan.checkpoint() != null && (last || plan.checkpointEvery() > 0 && (step + 1) % plan.checkpointEvery() == 0)) {
                Checkpoints.save(model.sd(), plan.checkpoint());
                listener.checkpointed(step + 1, plan.checkpoint());
            }
        }
        listener.finished();
        return new TrainResult(losses, seen, (System.nanoTime() - start) / 1e9, side);
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

    private static Map<String, GradientUpdater<?>> updaters(IUpdater config, Map<String, INDArray> params) {
        Map<String, GradientUpdater<?>> out = new LinkedHashMap<>();
        params.forEach((name, arr) -> {
            long size = config.stateSize(arr.length());
            INDArray view = size == 0 ? null : Nd4j.zeros(arr.dataType(), 1, size);
            GradientUpdater<?> u = config.instantiate(view, false);
            u.setStateViewArray(view, arr.shape(), arr.ordering(), true);
            out.put(name, u);
        });
        return out;
    }

}
