package dev.eff.interpreter.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.Args;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.Fixtures;
import dev.eff.interpreter.train.Evaluator;
import dev.eff.interpreter.train.TrainListener;
import dev.eff.interpreter.train.Trainer;
import dev.eff.stdlib.Dataset;
import dev.eff.stdlib.Parameters;
import dev.eff.stdlib.layers.Dropout;
import dev.eff.stdlib.metrics.Accuracy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class InferenceGraphTest {

    static final Value LOSS = new Value.Formula("+", Fixtures.crossEntropy(),
            new Value.Formula("*", new Value.Float(0.01), new Value.Aux("l2", Fixtures.SPAN)));

    @Test
    void theInferenceGraphHoldsTheTrainingGraphsArraysSoTrainedWeightsNeedNoCopy() throws Exception {
        Parameters vars = new Parameters("auxMlp");
        CompiledModel train = Fixtures.COMPILER.compile(Fixtures.auxMlp(false), Fixtures.SCHEMA, LOSS, vars, 3, DataType.FLOAT);
        CompiledModel infer = Fixtures.COMPILER.inference(Fixtures.auxMlp(false), Fixtures.SCHEMA, vars, 99, DataType.FLOAT);
        assertTrue(infer.inference() && !train.inference());
        assertNull(infer.loss());
        assertTrue(infer.auxiliaries().isEmpty(), "no auxiliary-loss work at inference");
        assertEquals(train.parameters().keySet(), infer.parameters().keySet());
        train.parameters().forEach((name, arr) -> assertSame(arr, infer.parameters().get(name), name));

        new Trainer().train(train, Fixtures.blobs(90, 1), Fixtures.plan(new dev.eff.stdlib.optim.Adam(),
                Map.of("lr", new Value.Float(0.05)), 16, 5, 1, null, 0), TrainListener.NONE);
        Dataset test = Fixtures.blobs(10, 2);
        INDArray x = test.inputs().get(0);
        INDArray expected = x.mmul(vars.get("auxMlp/first/W").array()).mmul(vars.get("auxMlp/second/W").array());
        INDArray out = infer.sd().output(infer.feed(test.inputs(), null, false), infer.output()).get(infer.output());
        assertTrue(expected.equalsWithEps(out, 1e-5), "the inference graph sees the trained weights");

        var e = new Evaluator().evaluate(infer, test, 5, List.of(new Evaluator.Request("accuracy", new Accuracy(), new Args(Map.of()))), 3);
        assertArrayEquals(new double[] {1}, e.probes().get(1).mean(), "the layer knows it is lowered for inference");
    }

    @Test
    void dropoutIsAbsentFromTheInferenceGraphByConstruction() {
        Shape in = Fixtures.SCHEMA.inputs().get(0).shape();
        ModelGraph base = Fixtures.mlp(0);
        List<Node> nodes = new ArrayList<>();
        Dropout dropout = new Dropout();
        nodes.add(new Node.Apply("d", Fixtures.SPAN, "dropout", dropout, Fixtures.args(dropout.signature(),
                Map.of("rate", new Value.Float(0.5))), "x", Map.of(), in, in, Cost.FREE));
        Node.Apply dense = (Node.Apply) base.nodes().get(0);
        nodes.add(new Node.Apply(dense.output(), dense.span(), dense.path(), dense.spec(), dense.args(), "d", Map.of(), in,
                dense.outputShape(), dense.cost()));
        ModelGraph g = new ModelGraph("dropped", Fixtures.SPAN, base.params(), base.inputs(), nodes, base.output(), base.outputShape());
        Parameters vars = new Parameters("dropped");
        CompiledModel train = Fixtures.COMPILER.compile(g, Fixtures.SCHEMA, Fixtures.crossEntropy(), vars, 1, DataType.FLOAT);
        CompiledModel infer = Fixtures.COMPILER.inference(g, Fixtures.SCHEMA, vars, 1, DataType.FLOAT);
        assertTrue(opNames(train).stream().anyMatch(n -> n.contains("dropout")), "training graph drops out");
        assertFalse(opNames(infer).stream().anyMatch(n -> n.contains("dropout")), String.valueOf(opNames(infer)));
        Dataset d = Fixtures.blobs(8, 1);
        INDArray a = infer.sd().output(infer.feed(d.inputs(), null, true), infer.output()).get(infer.output()).dup();
        INDArray b = infer.sd().output(infer.feed(d.inputs(), null, true), infer.output()).get(infer.output()).dup();
        assertEquals(a, b, "deterministic even with the training flag on");
    }

    private static List<String> opNames(CompiledModel m) {
        return m.sd().getOps().values().stream().map(o -> o.getOp().opName()).toList();
    }
}
