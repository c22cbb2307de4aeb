package dev.eff.interpreter.programs;

import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.stdlib.Component;
import dev.eff.stdlib.DataException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A program component: a statement {@code NAME MODEL [on DATA.split] { settings }} that uses a model the script
 * declared (and usually trained). Registered like every component, with {@code @AutoService(Component.class)}; the
 * runner runs it with a {@link Session} holding the script's models and data.
 */
public interface Program extends Component, dev.eff.dsl.check.ProgramSpec {

    JobReport run(ProgramJob job, Session session) throws DataException, RunFailure, IOException;

    /**
     * Why an existing, non-empty {@code file} named by one of {@link #outputSettings()} must not be replaced, or null
     * when it is an earlier output of this program. Refusing by default keeps a user's files safe.
     */
    default String refuseToReplace(Path file) { return "it was not written by " + signature().name(); }
}
