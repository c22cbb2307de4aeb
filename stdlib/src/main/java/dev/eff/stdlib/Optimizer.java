package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * An optimizer. Every optimizer declares {@code lr}, {@code warmup}, {@code schedule} and {@code clip}
 * (see {@link dev.eff.stdlib.optim.Schedules}); the trainer builds the learning-rate schedule from them and
 * applies gradient clipping, and the optimizer builds the ND4J updater around that schedule.
 */
public interface Optimizer extends Component {
    IUpdater updater(Args args, ISchedule learningRate);

    /**
     * Decoupled weight decay λ (AdamW): after each update the trainer shrinks every weight matrix by
     * {@code η_t·λ·θ}, where {@code η_t} is the scheduled rate. 0 for optimizers without decay.
     */
    default double weightDecay(Args args) { return 0; }

    /**
     * How many arrays the size of the parameters the optimizer keeps between steps (Adam: the first and second
     * moments), for the static memory estimate.
     */
    default int stateSlots(Args args) { return 2; }
}
