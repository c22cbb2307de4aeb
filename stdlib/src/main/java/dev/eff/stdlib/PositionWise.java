package dev.eff.stdlib;

import dev.eff.dsl.check.Args;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A {@link Layer} that computes each position from that position alone (norms, MLPs, projections, dropout at
 * inference): its step lowering is its lowering, applied to a sequence of one position.
 */
public interface PositionWise extends Layer, StepLowering {

    @Override
    default SDVariable lowerStep(Step ctx, Args args, SDVariable input, Map<String, SDVariable> refs) {
        return lower(ctx, args, input, refs);
    }
}
