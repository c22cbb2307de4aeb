package dev.eff.interpreter.bench;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.DataSchema;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.TestDense;
import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.BatchOrder;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.optim.Adam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: time per training step of the Trainer's path (cached gradient function + host updaters)
 * against {@code sd.fit(MultiDataSet)}, Adam, on an MLP 256→1024→1024→10 at batch 256; median of 20 steps
 * after 5 warm-up steps, alternating the two paths 3 times; both select a shuffled batch each step.
 * Run: {@code interpreter/bench.sh StepPathBench}.
 */
public final class StepPathBench {

    public static void main(String[] a) throws Exception {
        int width = 1024, batch = 256;
        for (int rep = 0; rep < 3; rep++) {
            System.out.printf("manual %.1f ms   fit %.1f ms%n", manual(width, batch), fit(width, batch));
        }
    }

    static ModelGraph graph(int width) throws Exception {
        Shape in = Shape.batch(DType.FLOAT, 256);
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        int[] widths = {width, width, 10};
        for (int i = 0; i < widths.length; i++) {
            Shape o = in.withLast(widths[i]);
            TestDense d = new TestDense();
            Args args = Fixtures.args(d.signature(), Map.of("units", new Value.Int(widths[i]), "tanh", new Value.Bool(i < 2)));
            nodes.add(new Node.Apply("v" + i, Fixtures.SPAN, "dense" + i, d, args, prev, Map.of(), in, o, d.cost(args, in, o, Map.of())));
            prev = "v" + i;
            in = o;
        }
        return new ModelGraph("mlp", Fixtures.SPAN, new Args(Map.of()),
                List.of(new ModelGraph.Input("x", Shape.batch(DType.FLOAT, 256))), nodes, prev, in);
    }

    static final DataSchema SCHEMA = new DataSchema(List.of(new DataSchema.Field("x", Shape.batch(DType.FLOAT, 256))),
            new DataSchema.Field("label", Shape.batch(DType.INT)), 10, List.of("train"));

    static CompiledModel model(int width) throws Exception {
        return Fixtures.COMPILER.compile(graph(width), SCHEMA, Fixtures.call("crossEntropy",
                Map.of("labelSmoothing", new Value.Float(0))), 1, DataType.FLOAT);
    }

    static Dataset data(int batch) {
        return new Dataset(List.of(Nd4j.rand(DataType.FLOAT, batch, 256)), Nd4j.randomBernoulli(0.5, batch).castTo(DataType.INT32));
    }

    static double manual(int width, int batch) throws Exception {
        CompiledModel m = model(width);
        Dataset d = data(batch);
        double[] t = new double[25];
        new Trainer().train(m, d, Fixtures.plan(new Adam(), Map.of(), batch, t.length, 0, null, 0), new TrainListener() {
            long last = System.nanoTime();
            @Override public void step(long step, long total, double loss, long seen, double s) {
                long now = System.nanoTime();
                t[(int) step - 1] = (now - last) / 1e6;
                last = now;
            }
        });
        return median(t);
    }

    static double fit(int width, int batch) throws Exception {
        CompiledModel m = model(width);
        Dataset d = data(batch);
        m.sd().setTrainingConfig(TrainingConfig.builder().updater(new org.nd4j.linalg.learning.config.Adam(1e-3))
                .dataSetFeatureMapping("x", m.training()).dataSetLabelMapping(m.labels()).minimize(m.loss()).build());
        BatchOrder order = new BatchOrder(d.size(), batch, 0);
        double[] t = new double[25];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            Dataset b = d.select(order.next());
            m.sd().fit(new MultiDataSet(new org.nd4j.linalg.api.ndarray.INDArray[] {b.inputs().get(0), Nd4j.scalar(1f)},
                    new org.nd4j.linalg.api.ndarray.INDArray[] {b.labels()}));
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        return median(t);
    }

    static double median(double[] t) {
        double[] tail = Arrays.copyOfRange(t, 5, t.length);
        Arrays.sort(tail);
        return tail[tail.length / 2];
    }
}
