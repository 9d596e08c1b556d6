package io.depthflow.clickhouse.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the engine library is looked for. The npm fetch itself (166 MB) is not run here; it was
 * verified by hand with {@code DEPTHFLOW_CACHE_DIR} pointing to an empty directory.
 */
class ChdbLibraryTest {

    @TempDir Path dir;

    @Test
    void shouldUseTheLibraryNamedByDepthflowChdbLib() throws Exception {
        Path lib = Files.writeString(dir.resolve("my-libchdb.so"), "not really a library");

        assertThat(ChdbLibrary.locate(Map.of(ChdbLibrary.ENV_LIB, lib.toString()))).isEqualTo(lib);
    }

    @Test
    void shouldRefuseToFetchWhenDepthflowChdbLibNamesAMissingFile() {
        Path missing = dir.resolve("nothing-here.so");

        assertThatThrownBy(
                        () -> ChdbLibrary.locate(Map.of(ChdbLibrary.ENV_LIB, missing.toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("DEPTHFLOW_CHDB_LIB points to " + missing);
    }

    @Test
    void shouldFindACachedLibraryUnderTheVersionedCacheDirectory() throws Exception {
        Path cached = dir.resolve("chdb").resolve(ChdbLibrary.VERSION).resolve("libchdb.so");
        Files.createDirectories(cached.getParent());
        Files.writeString(cached, "cached");

        assertThat(ChdbLibrary.locate(Map.of(ChdbLibrary.ENV_CACHE_DIR, dir.toString())))
                .isEqualTo(cached);
    }

    @Test
    void shouldDefaultTheCacheToTheUsersHome() {
        assertThat(ChdbLibrary.cachedPath(Map.of()))
                .as("no HOME: Java's user.home")
                .isEqualTo(
                        Path.of(
                                System.getProperty("user.home"),
                                ".cache",
                                "depthflow",
                                "chdb",
                                "26.5.3",
                                "libchdb.so"));
    }

    /**
     * The shell's $HOME decides, as for bin/depthflow's other caches (the Maven wrapper, npm):
     * Java's user.home is the account's home and ignores HOME, so the two could disagree.
     */
    @Test
    void shouldFollowHomeAsTheShellHasIt() {
        assertThat(ChdbLibrary.cachedPath(Map.of("HOME", "/home/elsewhere")))
                .isEqualTo(Path.of("/home/elsewhere/.cache/depthflow/chdb/26.5.3/libchdb.so"));
    }

    @Test
    void shouldShowDownloadProgressAsBytesOfTheTotal() {
        assertThat(ChdbLibrary.progress(50L * 1024 * 1024, 166_572_008L, 6_400_000_000L))
                .isEqualTo("depthflow: ClickHouse engine 50 MB of 159 MB (31 %, 6 s)");
        assertThat(ChdbLibrary.progress(3L * 1024 * 1024, -1, 1_000_000_000L))
                .isEqualTo("depthflow: ClickHouse engine 3 MB (1 s)");
    }
}
