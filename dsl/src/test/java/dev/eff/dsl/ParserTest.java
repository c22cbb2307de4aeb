package dev.eff.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.ast.Body;
import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.parse.ParseResult;
import dev.eff.dsl.source.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {

    private static List<Stmt> parse(String text) {
        ParseResult r = Frontend.parse(new Source("t.eff", text));
        assertTrue(r.ok(), r.diagnostics().render());
        return r.program().statements();
    }

    private static Diagnostic onlyError(String text) {
        ParseResult r = Frontend.parse(new Source("t.eff", text));
        assertEquals(1, r.diagnostics().all().size(), r.diagnostics().render());
        return r.diagnostics().all().get(0);
    }

    @Test
    void topLevelStatements() {
        List<Stmt> s = parse("""
                import "lib/a.eff"
                let d = 4
                data t = toy(vocab = 10)
                model m(n = 2, act = relu) { dense(d) }
                train m(n = 3) on t.train { steps = 1 }
                evaluate m on t
                """);
        assertEquals(6, s.size());
        Stmt.Import i = assertInstanceOf(Stmt.Import.class, s.get(0));
        assertEquals("lib/a.eff", i.path());
        assertEquals("\"lib/a.eff\"", i.pathSpan().text());
        assertEquals("d", ((Stmt.Let) s.get(1)).name().text());
        assertEquals("toy", ((Stmt.DataDecl) s.get(2)).source().name().text());
        Stmt.ModelDecl m = (Stmt.ModelDecl) s.get(3);
        assertEquals(List.of("n", "act"), m.params().stream().map(p -> p.name().text()).toList());
        Stmt.Train t = (Stmt.Train) s.get(4);
        assertEquals("n", t.model().args().get(0).name().text());
        assertEquals("train", t.data().split().text());
        Stmt.Evaluate e = (Stmt.Evaluate) s.get(5);
        assertNull(e.data().split());
        assertTrue(e.settings().isEmpty());
    }

    @Test
    void hooksNameTheirKindLanguageAndCode() {
        List<Stmt> s = parse("""
                hook focal = groovy \"\"\" { o, l -> o.mean() } \"\"\"
                hook top: metric = groovy "top.groovy"; hook tick: callback = groovy \"\"\"{ s -> }\"\"\"
                """);
        Stmt.Hook focal = assertInstanceOf(Stmt.Hook.class, s.get(0));
        assertEquals("focal", focal.name().text());
        assertNull(focal.kind());
        assertEquals("groovy", focal.language().text());
        assertEquals(" { o, l -> o.mean() } ", focal.code().value());
        Stmt.Hook top = (Stmt.Hook) s.get(1);
        assertEquals("metric", top.kind().text());
        assertEquals("top.groovy", top.code().value());
        assertEquals("\"top.groovy\"", top.code().span().text());
        Stmt.Hook named = (Stmt.Hook) s.get(2);
        assertEquals("callback", named.kind().text());
        assertEquals("{ s -> }", named.code().value());
    }

    @Test
    void aHookNeedsItsCodeAsAString() {
        Diagnostic d = onlyError("hook focal = groovy { o }\n");
        assertEquals(1, d.span().line());
        assertEquals(21, d.span().column(), d.render());
        assertTrue(d.message().contains("a string"), d.render());
    }

    @Test
    void modelBodyConstructs() {
        Stmt.ModelDecl m = (Stmt.ModelDecl) parse("""
                model m {
                    input a: int[8]
                    input b: float[1, 28, 28];
                    let h = b |> flatten() |> dense(4)
                    a |> embed(10, 4) |> relu
                    repeat(2) { residual { norm(); dense(4) } }
                }
                """).get(0);
        List<Body> body = m.body();
        Body.Input b = (Body.Input) body.get(1);
        assertEquals("float", b.type().dtype().text());
        assertEquals(3, b.type().dims().size());
        Body.Value h = (Body.Value) body.get(2);
        assertEquals(3, h.flow().stages().size());
        assertInstanceOf(Body.RefStage.class, h.flow().stages().get(0));
        Body.FlowStmt f = (Body.FlowStmt) body.get(3);
        assertInstanceOf(Body.RefStage.class, f.flow().stages().get(2));
        Body.Repeat r = (Body.Repeat) ((Body.FlowStmt) body.get(4)).flow().stages().get(0);
        Body.Residual res = (Body.Residual) ((Body.FlowStmt) r.body().get(0)).flow().stages().get(0);
        assertEquals(2, res.body().size());
    }

    @Test
    void settingsBareAndKeyed() {
        Stmt.Evaluate e = (Stmt.Evaluate) parse("evaluate m on d.test { accuracy; perplexity() batch = 256 }").get(0);
        assertEquals(3, e.settings().size());
        assertNull(e.settings().get(0).key());
        assertInstanceOf(Expr.Call.class, e.settings().get(1).value());
        assertEquals("batch", e.settings().get(2).key().text());
    }

    @Test
    void programStatementsNameTheirProgramWithOrWithoutDataAndTakeCommaSeparatedSettings() {
        List<Stmt> s = parse("""
                predict m on d.test { to = "p.csv" }
                generate lm(layers = 2) { prompt = "The ", tokens = 5, temperature = 0 }
                generate lm
                """);
        Stmt.RunProgram p = (Stmt.RunProgram) s.get(0);
        assertEquals("predict", p.program().text());
        assertEquals("test", p.data().split().text());
        Stmt.RunProgram g = (Stmt.RunProgram) s.get(1);
        assertNull(g.data());
        assertEquals(1, g.model().args().size());
        assertEquals(List.of("prompt", "tokens", "temperature"), g.settings().stream().map(x -> x.key().text()).toList());
        assertTrue(((Stmt.RunProgram) s.get(2)).settings().isEmpty());
    }

    @Test
    void expressionPrecedence() {
        Expr e = ((Stmt.Let) parse("let x = 1 + 2 * 3 ** 2 ** 2 - -4 % 3").get(0)).value();
        // ((1 + (2 * (3 ** (2 ** 2)))) - ((-4) % 3))
        Expr.Binary sub = assertInstanceOf(Expr.Binary.class, e);
        assertEquals(Expr.BinOp.SUB, sub.op());
        Expr.Binary add = (Expr.Binary) sub.left();
        Expr.Binary mul = (Expr.Binary) add.right();
        Expr.Binary pow = (Expr.Binary) mul.right();
        assertEquals(Expr.BinOp.POW, pow.op());
        assertEquals(Expr.BinOp.POW, ((Expr.Binary) pow.right()).op());
        Expr.Binary mod = (Expr.Binary) sub.right();
        assertInstanceOf(Expr.Neg.class, mod.left());
    }

    @Test
    void literals() {
        List<Stmt> s = parse("""
                let a = 1_000
                let b = 2.5e-3
                let c = "a\\"b\\n"
                let d = true
                let e = [1, 2.0, "x", [false]]
                let f = aux.balance
                let g = \"\"\"raw "text" \\n\"\"\"
                """);
        assertEquals(1000, ((Expr.IntLit) ((Stmt.Let) s.get(0)).value()).value());
        assertEquals(2.5e-3, ((Expr.FloatLit) ((Stmt.Let) s.get(1)).value()).value());
        assertEquals("a\"b\n", ((Expr.StrLit) ((Stmt.Let) s.get(2)).value()).value());
        assertTrue(((Expr.BoolLit) ((Stmt.Let) s.get(3)).value()).value());
        assertEquals(4, ((Expr.ListLit) ((Stmt.Let) s.get(4)).value()).items().size());
        assertEquals("aux.balance", ((Expr.Name) ((Stmt.Let) s.get(5)).value()).dotted());
        assertEquals("raw \"text\" \\n", ((Expr.StrLit) ((Stmt.Let) s.get(6)).value()).value());
    }

    @Test
    void spansAreExact() {
        Stmt.ModelDecl m = (Stmt.ModelDecl) parse("model m {\n  attention(softmax, heads = 4)\n}").get(0);
        Expr.Call call = ((Body.CallStage) ((Body.FlowStmt) m.body().get(0)).flow().stages().get(0)).call();
        assertEquals("attention(softmax, heads = 4)", call.span().text());
        assertEquals(2, call.span().line());
        assertEquals(3, call.span().column());
        Expr.Arg heads = call.args().get(1);
        assertEquals("heads = 4", heads.span().text());
        assertEquals("4", heads.value().span().text());
    }

    @Test
    void spansAfterAnEmojiCountUtf16Characters() {
        Stmt.Let l = (Stmt.Let) parse("// 😀\nlet s = \"😀😀\"; let x = 1").get(1);
        assertEquals("x", l.name().text());
        assertEquals("t.eff:2:21", l.name().span().location());
    }

    @Test
    void syntaxErrorMessages() {
        Diagnostic d = onlyError("model m {\n  attention(softmax, heads = 4\n}");
        assertEquals("expected ')' to close the call to 'attention' opened at 2:12", d.message());
        assertEquals("t.eff:2:31", d.span().location());

        d = onlyError("model m {\n  dense(4)\n");
        assertEquals("unexpected end of input: the body of model 'm' opened at 1:9 is not closed", d.message());

        d = onlyError("let s = \"abc\nlet t = 1");
        assertEquals("unterminated string", d.message());
        assertEquals("t.eff:1:9", d.span().location());

        d = onlyError("let a = 1 @ 2");
        assertEquals("unknown character '@'", d.message());

        d = onlyError("let a = 1\n/* open");
        assertEquals("unterminated comment", d.message());
        assertEquals("t.eff:2:1", d.span().location());

        d = onlyError("model m { x = dense(3) }");
        assertEquals("expected a component call or a value name, found '='", d.message());
        assertEquals("to name a value write 'let x = ...'", d.hint());

        d = onlyError("let = 3");
        assertEquals("expected a name, found '='", d.message());

        d = onlyError("train m d { steps = 1 }");
        assertEquals("expected 'on', found 'd'", d.message());
    }

    @Test
    void oneErrorPerLineButEveryLineReported() {
        ParseResult r = Frontend.parse(new Source("t.eff", "let a = = = 1\nlet b = ) ) 2\nlet c = 3"));
        assertEquals(List.of(1, 2), r.diagnostics().all().stream().map(x -> x.span().line()).toList());
        // The clean statement still reaches the partial program.
        assertTrue(r.program().statements().stream().anyMatch(s -> s instanceof Stmt.Let l && l.name().text().equals("c")));
    }
}
