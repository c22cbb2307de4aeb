package dev.eff.interpreter;

import dev.eff.dsl.check.Shape;
import dev.eff.stdlib.Init;
import dev.eff.stdlib.Lowering;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A minimal {@link Lowering} for runtime tests: parameters drawn from (seed, name), nothing else. */
public record TestLowering(SameDiff sd, String scope, Shape inputShape, Shape outputShape, long seed, DataType dtype,
                           SDVariable training) implements Lowering {

    @Override
    public SDVariable param(String name, long[] shape, Init init) {
        String full = scope + "/" + name;
        SplittableRandom r = new SplittableRandom(seed * 31 + full.hashCode());
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = init instanceof Init.Uniform u ? (r.nextDouble() * 2 - 1) * u.limit()
                    : init instanceof Init.Ones ? 1 : 0;
        }
        return sd.var(full, Nd4j.createFromArray(v).castTo(dtype).reshape(shape));
    }

    @Override
    public String name(String hint) { return sd.generateNewVarName(scope + "/" + hint, 0); }

    @Override public boolean inference() { return false; }

    @Override public long randomSeed(String name) { return seed * 31 + (scope + "/" + name).hashCode(); }

    @Override public void aux(String name, SDVariable scalar) {}

    @Override public void probe(String name, SDVariable value) {}
}
