package dev.eff.stdlib;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One split held in memory: one array per model input (dimension 0 = example) and the labels. Token ids
 * and class labels are INT32 arrays, everything else FLOAT.
 */
public record Dataset(List<INDArray> inputs, INDArray labels) {

    public Dataset {
        inputs = List.copyOf(inputs);
        long n = labels.size(0);
        for (INDArray a : inputs) {
            if (a.size(0) != n) throw new IllegalArgumentException("inputs and labels differ in example count");
        }
    }

    public long size() { return labels.size(0); }

    /** The examples at these indices, in this order (for shuffled mini-batches). */
    public Dataset select(long[] indices) {
        INDArray idx = Nd4j.createFromArray(indices);
        return new Dataset(inputs.stream().map(a -> pick(a, idx)).toList(), pick(labels, idx));
    }

    /** Examples [from, to). */
    public Dataset slice(long from, long to) {
        return new Dataset(inputs.stream().map(a -> rows(a, from, to)).toList(), rows(labels, from, to));
    }

    private static INDArray pick(INDArray a, INDArray idx) {
        return Nd4j.pullRows(a.reshape(a.size(0), -1), 1, idx.toIntVector()).reshape(shapeWith(a, idx.length()));
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to)).dup();
    }

    private static long[] shapeWith(INDArray a, long n) {
        long[] s = a.shape().clone();
        s[0] = n;
        return s;
    }
}
