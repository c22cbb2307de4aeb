package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.Cost;
import dev.eff.dsl.check.DType;
import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.check.Shape;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.testing.TestCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckerTest {

    private static CheckedProgram check(String text, Map<String, String> overrides) {
        Frontend.Result r = Frontend.check(new Source("t.eff", text), TestCatalog.INSTANCE, overrides);
        assertNotNull(r.program(), r.diagnostics().render());
        return r.program();
    }

    private static CheckedProgram check(String text) { return check(text, Map.of()); }

    @Test
    void constantFolding() {
        Map<String, Value> c = check("""
                let a = 7 / 2
                let b = 8 / 2
                let c = -7 % 3
                let d = 2 ** -1
                let e = 2 ** 3 ** 2
                let f = -2 ** 2
                let g = 7.5 % 2
                let h = (1 + 2) * 3 - 4 / 4
                let i = [a, b, "s", true]
                let j = 9223372036854775807
                let k = -j - 1
                let w = learned
                """).constants();
        assertEquals(new Value.Float(3.5), c.get("a"));
        assertEquals(new Value.Int(4), c.get("b"));
        assertEquals(new Value.Int(2), c.get("c"));
        assertEquals(new Value.Float(0.5), c.get("d"));
        assertEquals(new Value.Int(512), c.get("e"));
        assertEquals(new Value.Int(-4), c.get("f"));
        assertEquals(new Value.Float(1.5), c.get("g"));
        assertEquals(new Value.Int(8), c.get("h"));
        assertEquals("[3.5, 4, \"s\", true]", c.get("i").render());
        assertEquals(new Value.Int(Long.MIN_VALUE), c.get("k"));
        assertEquals(new Value.Symbol("learned"), c.get("w"));
    }

    @Test
    void overridesReplaceConstantsBeforeLaterOnesAreFolded() {
        Map<String, Value> c = check("let d = 64\nlet half = d / 2\nlet lr = 0.1", Map.of("d", "2 * 10", "lr", "1")).constants();
        assertEquals(new Value.Int(20), c.get("d"));
        assertEquals(new Value.Int(10), c.get("half"));
        assertEquals(new Value.Float(1.0), c.get("lr"));
    }

    private static final String LM = """
            let d = 8
            data text = toy(vocab = 10, length = 4)
            model lm(layers = 2) {
                embed(vocab = 10, dim = d, position = none)
                repeat(layers) {
                    residual { norm(); attention(heads = 2) }
                }
                dense(10)
            }
            """;

    @Test
    void graphOfAnUnrolledModel() {
        CheckedProgram p = check(LM + "train lm on text { steps = 3 }\nevaluate lm on text { accuracy }");
        ModelGraph g = p.models().get("lm(layers = 2)");
        assertEquals(List.of(new ModelGraph.Input("tokens", Shape.batch(DType.INT, 4))), g.inputs());
        assertEquals(List.of("embed", "block1/residual/norm", "block1/residual/attention", "block1/residual",
                        "block2/residual/norm", "block2/residual/attention", "block2/residual", "dense"),
                g.nodes().stream().map(Node::output).toList());
        Node.Apply embed = (Node.Apply) g.nodes().get(0);
        assertEquals("tokens", embed.input());
        assertEquals(Shape.batch(DType.FLOAT, 4, 8), embed.outputShape());
        Node.Residual join = (Node.Residual) g.nodes().get(3);
        assertEquals("embed", join.input());
        assertEquals("block1/residual/attention", join.branch());
        assertEquals("block1/residual", ((Node.Apply) g.nodes().get(4)).input());
        assertEquals("dense", g.output());
        assertEquals(Shape.batch(DType.FLOAT, 4, 10), g.outputShape());
        // embed 10*8, per block norm 2*8 + attention 4*8*8, dense 8*10 + 10
        assertEquals(80 + 2 * (16 + 256) + 90, g.cost().params());
        TrainJob t = (TrainJob) p.jobs().get(0);
        EvalJob e = (EvalJob) p.jobs().get(1);
        assertSame(t.model(), e.model());
        assertEquals("test", e.split());
        assertEquals(256, e.batch());
    }

    @Test
    void trainDefaultsAndBoundCalls() {
        TrainJob t = (TrainJob) check(LM + "train lm on text { epochs = 2; seed = 7; checkpoint = \"out/lm.ckpt\" }").jobs().get(0);
        assertEquals("adam(lr = 0.001)", t.optimizer().render());
        assertNotNull(t.optimizer().spec());
        assertEquals("crossEntropy(smoothing = 0.0)", t.loss().render());
        assertEquals(32, t.batch());
        assertEquals(0, t.steps());
        assertEquals(2, t.epochs());
        assertEquals(7, t.seed());
        assertEquals("out/lm.ckpt", t.checkpoint());
        assertEquals("train", t.split());

        Value.Call decay = (Value.Call) ((TrainJob) check(LM + "train lm on text { steps = 1; optimizer = adamw }").jobs().get(0))
                .optimizer().args().get("decay");
        assertEquals("step(every = 100)", decay.render());
        assertNotNull(decay.spec(), "a component-typed default is bound like a written call");

        t = (TrainJob) check(LM + "train lm on text { steps = 5; optimizer = sgd(0.5); loss = 2 * crossEntropy() - crossEntropy / 4 }")
                .jobs().get(0);
        assertEquals("sgd(lr = 0.5, momentum = 0.0)", t.optimizer().render());
        assertEquals("((2 * crossEntropy(smoothing = 0.0)) - (crossEntropy(smoothing = 0.0) / 4))", t.loss().render());
    }

    @Test
    void parameterOverridesMakeSeparateInstances() {
        CheckedProgram p = check(LM + """
                train lm(layers = 1) on text { steps = 1 }
                train lm on text { steps = 1 }
                evaluate lm(1) on text { accuracy }
                """);
        assertEquals(List.of("lm(layers = 1)", "lm(layers = 2)"), List.copyOf(p.models().keySet()));
        assertEquals(5, p.models().get("lm(layers = 1)").nodes().size());
        assertSame(p.jobs().get(0).model(), p.jobs().get(2).model());
        assertEquals("lm(layers = 1)", p.jobs().get(2).model().instance());
    }

    @Test
    void twoInputsAndAValueReadByALayer() {
        CheckedProgram p = check("""
                data qa = pairs(length = 6)
                model m {
                    input passage: int[6]
                    input query: int[6]
                    let memory = passage |> embed(vocab = 50, dim = 4)
                    query |> embed(vocab = 50, dim = 4) |> crossAttend(memory) |> flatten |> dense(2)
                }
                train m on qa { steps = 1 }
                """);
        ModelGraph g = p.models().get("m");
        // In the data's order (query, passage), whatever order the model declares them in.
        assertEquals(List.of("query", "passage"), g.inputs().stream().map(ModelGraph.Input::name).toList());
        assertEquals(List.of("embed", "embed2", "crossAttend", "flatten", "dense"), g.nodes().stream().map(Node::output).toList());
        Node.Apply cross = (Node.Apply) g.nodes().get(2);
        assertEquals("embed2", cross.input());
        assertEquals(Map.of("memory", "embed"), cross.refs());
        assertEquals(new Value.Ref("memory"), cross.args().get("memory"));
        assertEquals(Shape.batch(DType.FLOAT, 2), g.outputShape());
    }

    @Test
    void inputsBindByPositionWhenNamesDiffer() {
        ModelGraph g = check("""
                data qa = pairs(length = 6)
                model m { input a: int[6]; input b: int[6]; a |> embed(50, 4) |> flatten |> dense(2) }
                train m on qa { steps = 1 }
                """).models().get("m");
        assertEquals(List.of("a", "b"), g.inputs().stream().map(ModelGraph.Input::name).toList());
    }

    @Test
    void aConstantWordSelectsTheVariantAndAnOverrideSwitchesIt() {
        String text = """
                let attn = performer
                model m { input x: float[4, 8]; attention(attn, heads = 2) }
                """;
        Node.Apply a = (Node.Apply) check(text).models().get("m").nodes().get(0);
        assertEquals("performer", a.spec().signature().variant());
        assertEquals(64L, a.args().integer("features"));
        a = (Node.Apply) check(text, Map.of("attn", "softmax")).models().get("m").nodes().get(0);
        assertEquals("softmax", a.spec().signature().variant());
    }

    @Test
    void aModelParameterSelectsTheAttentionVariantPerInstance() {
        CheckedProgram p = check("""
                data text = toy(vocab = 10, length = 4)
                model lm(kind = softmax) { embed(vocab = 10, dim = 8, position = none); attention(kind, heads = 2); dense(10) }
                train lm on text { steps = 1 }
                train lm(kind = performer) on text { steps = 1 }
                """);
        for (String kind : List.of("softmax", "performer")) {
            Node.Apply a = (Node.Apply) p.models().get("lm(kind = " + kind + ")").nodes().get(1);
            assertEquals(kind, a.spec().signature().variant());
        }
    }

    @Test
    void aModelThatDeclaresItsInputsIsBuiltWithoutAJob() {
        ModelGraph g = check("model mlp(h = 16) { input x: float[1, 4, 4]; flatten(); dense(h) |> relu |> dense(3) }")
                .models().get("mlp(h = 16)");
        assertEquals(Shape.batch(DType.FLOAT, 3), g.outputShape());
        Cost c = g.cost();
        assertEquals(16 * 16 + 16 + 16 * 3 + 3, c.params());
    }

    @Test
    void repeatZeroTimesIsTheIdentity() {
        ModelGraph g = check("model m(n = 0) { input x: float[4]; repeat(n) { dense(4) }; dense(2) }").models().get("m(n = 0)");
        assertEquals(List.of("dense"), g.nodes().stream().map(Node::output).toList());
        assertEquals("x", ((Node.Apply) g.nodes().get(0)).input());
    }

    @Test
    void everyDiagnosticOfABadScriptInOnePass() {
        Frontend.Result r = Frontend.check(new Source("t.eff", """
                data text = toy(vocab = 10, length = 4)
                model a { embed(vocab = 10, dim = 0) }
                model b { dense(unit = 3) }
                train a on text { steps = 0 }
                """), TestCatalog.INSTANCE, Map.of());
        assertEquals(3, r.diagnostics().errorCount(), r.diagnostics().render());
        assertTrue(r.diagnostics().render().endsWith("3 errors\n"));
    }
}
