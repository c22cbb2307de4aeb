package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.EvalJob;
import dev.eff.dsl.check.Hook;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.train.RunFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a run may execute a script's hooks. A hook is arbitrary JVM code (Groovy is no sandbox), so running a script
 * someone sent must not run code by itself: hooks are refused unless the caller allows them ({@code eff run
 * --allow-hooks}). Checking and compiling a hook run none of its code.
 */
public enum HookPolicy {
    REFUSE, ALLOW;

    /** The command-line flag that allows hooks, named in the refusal. */
    public static final String FLAG = "--allow-hooks";

    /** Fails, naming the first hook the program would run and the flag, unless hooks are allowed or none is used. */
    public void require(CheckedProgram program) throws RunFailure {
        if (this == ALLOW) return;
        for (Job job : program.jobs()) {
            for (Value.Call c : calls(job)) {
                if (c.spec() instanceof Hook h) {
                    throw new RunFailure(c.span(), "this statement runs " + h.decl().kind().word() + " hook '" + h.decl().name()
                            + "', Groovy code declared at " + h.decl().at().location() + ", and hooks run only when allowed",
                            "hooks can do anything the JVM can; if you trust this script, run it with " + FLAG);
                }
            }
        }
    }

    private static List<Value.Call> calls(Job job) {
        List<Value.Call> out = new ArrayList<>();
        if (job instanceof TrainJob t) {
            collect(t.loss(), out);
            out.addAll(t.callbacks());
        } else if (job instanceof EvalJob e) {
            out.addAll(e.metrics());
        }
        return out;
    }

    private static void collect(Value v, List<Value.Call> out) {
        if (v instanceof Value.Call c) out.add(c);
        if (v instanceof Value.Formula f) {
            collect(f.left(), out);
            collect(f.right(), out);
        }
    }
}
