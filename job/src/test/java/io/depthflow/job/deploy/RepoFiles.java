package io.depthflow.job.deploy;

import org.w3c.dom.Document;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The repository's deployment files as the static deploy tests see them: the repository root, YAML
 * documents (safe loading, no custom tags), properties of the parent {@code pom.xml}, and typed
 * navigation of the parsed YAML maps.
 */
final class RepoFiles {

    private RepoFiles() {}

    /** The repository root: the nearest ancestor of the working directory holding {@code mvnw}. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "No repository root (with mvnw) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    /** A property of the parent pom, e.g. {@code flink.version}. */
    static String pomProperty(String name) {
        try (InputStream in = Files.newInputStream(file("pom.xml"))) {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            String value =
                    XPathFactory.newInstance()
                            .newXPath()
                            .evaluate("/project/properties/" + name, pom)
                            .strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("pom.xml has no property " + name);
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read pom.xml", e);
        }
    }

    /** The single YAML document of {@code relative}, as maps, lists and scalars. */
    static Map<String, Object> yaml(String relative) {
        List<Map<String, Object>> docs = yamlDocuments(file(relative));
        if (docs.size() != 1) {
            throw new IllegalStateException(
                    relative + " has " + docs.size() + " YAML documents, expected 1");
        }
        return docs.get(0);
    }

    /** Every non-empty YAML document of {@code path} (multi-document files, {@code ---}). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path path) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (Object doc : yaml.loadAll(reader)) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** {@code root.get(k1).get(k2)...}, or null where a key is missing. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String... keys) {
        Object node = root;
        for (String key : keys) {
            if (!(node instanceof Map)) {
                return null;
            }
            node = ((Map<String, Object>) node).get(key);
        }
        return (T) node;
    }

    /** {@code at(root, keys)} as text ({@code "null"} when missing). */
    static String str(Object root, String... keys) {
        Object value = at(root, keys);
        return String.valueOf(value);
    }

    /** {@code at(root, keys)} as a map, empty when missing. */
    static Map<String, Object> map(Object root, String... keys) {
        Map<String, Object> m = at(root, keys);
        return m == null ? Map.of() : m;
    }

    /** {@code at(root, keys)} as a list, empty when missing. */
    static List<Object> list(Object root, String... keys) {
        List<Object> l = at(root, keys);
        return l == null ? List.of() : l;
    }

    static String text(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
