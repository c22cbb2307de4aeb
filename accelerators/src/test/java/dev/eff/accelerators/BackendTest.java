package dev.eff.accelerators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendTest {

    private static final CpuFeatures AVX512_CPU = CpuFeatures.parse("""
            processor	: 0
            model name	: Test CPU
            flags		: fpu sse2 avx f16c fma avx2 avx512f avx512cd avx512bw avx512dq avx512vl

            processor	: 1
            model name	: Test CPU
            flags		: fpu sse2 avx f16c fma avx2 avx512f avx512cd avx512bw avx512dq avx512vl
            """);
    private static final CpuFeatures AVX2_CPU = new CpuFeatures("old", Set.of("avx", "avx2", "fma", "f16c"));
    private static final String LINUX = Backend.PLATFORM;

    @Test
    void parsesModelAndFlagsOfTheFirstProcessor() {
        assertEquals("Test CPU", AVX512_CPU.model());
        assertTrue(AVX512_CPU.flags().contains("avx512bw"));
        assertEquals(CpuFeatures.NONE.flags(), CpuFeatures.parse("garbage").flags());
    }

    @Test
    void picksTheFastestBuildPresentThatTheCpuRuns() {
        var all = Backend.choose(LINUX, AVX512_CPU, b -> true, null);
        assertEquals(Backend.PREFERENCE.get(0), all.build());
        assertNull(all.warning());
        assertEquals(NativeBuild.AVX512, Backend.choose(LINUX, AVX512_CPU, b -> b == NativeBuild.GENERIC || b == NativeBuild.AVX512, null).build());
        assertEquals(NativeBuild.GENERIC, Backend.choose(LINUX, AVX2_CPU, b -> b == NativeBuild.GENERIC || b == NativeBuild.AVX512, null).build(),
                "an AVX2-only CPU never gets the AVX-512 build");
        assertTrue(Backend.choose(LINUX, CpuFeatures.NONE, b -> true, null).build().requires().isEmpty(), "unknown CPU: a baseline x86-64 build");
        assertEquals(NativeBuild.GENERIC, Backend.choose(LINUX, CpuFeatures.NONE, b -> b.ordinal() < 3, null).build());
        assertEquals(NativeBuild.GENERIC, Backend.choose("macosx-arm64", AVX512_CPU, b -> true, null).build());
    }

    @Test
    void honoursARequestOnlyWhenItsJarIsThereAndTheCpuRunsIt() {
        var forced = Backend.choose(LINUX, AVX512_CPU, b -> true, "generic");
        assertEquals(NativeBuild.GENERIC, forced.build());
        assertNull(forced.warning());
        assertEquals(NativeBuild.ONEDNN_AVX512, Backend.choose(LINUX, AVX512_CPU, b -> true, "-onednn-avx512").build(), "a raw JavaCPP extension works too");

        var absent = Backend.choose(LINUX, AVX512_CPU, b -> b == NativeBuild.GENERIC, "avx2");
        assertEquals(NativeBuild.GENERIC, absent.build());
        assertTrue(absent.warning().contains("linux-x86_64-avx2.jar is not on the class path"), absent.warning());

        var unsupported = Backend.choose(LINUX, AVX2_CPU, b -> true, "avx512");
        assertEquals(NativeBuild.ONEDNN_AVX2, unsupported.build(), "the preferred build this CPU runs");
        assertTrue(unsupported.warning().contains("lacks avx512bw, avx512cd, avx512dq, avx512f, avx512vl"), unsupported.warning());

        var typo = Backend.choose(LINUX, AVX512_CPU, b -> b == NativeBuild.GENERIC, "avx-512");
        assertTrue(typo.warning().contains("unknown native build 'avx-512'"), typo.warning());
    }

    @Test
    void wordsRoundTrip() {
        for (NativeBuild b : NativeBuild.values()) assertEquals(b, NativeBuild.fromWord(b.word()));
        assertEquals("linux-x86_64-onednn-avx2", NativeBuild.ONEDNN_AVX2.classifier(LINUX));
        assertThrows(IllegalArgumentException.class, () -> NativeBuild.fromWord("sse"));
    }

    @Test
    void nativeMemoryIsCappedAtHalfTheMachineSoTheCollectorFreesIt() {
        assertEquals(12L << 30, Backend.physicalBytesLimit(24L << 30));
        assertEquals(4L << 30, Backend.physicalBytesLimit(2L << 30));
    }
}
