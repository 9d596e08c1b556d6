package io.depthflow.testing.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of a forked test broker JVM: formats the KRaft log directory, then runs {@code
 * kafka.Kafka} (combined broker and controller) with the given {@code server.properties}, and exits
 * when its parent dies.
 *
 * <pre>
 * java -cp &lt;broker-classpath.txt&gt;:&lt;this jar&gt; io.depthflow.testing.kafka.BrokerMain CLUSTER_ID server.properties
 * </pre>
 *
 * <p>Contract:
 *
 * <ol>
 *   <li>{@code CLUSTER_ID} is a 22-character base64url id; the log directories named in {@code
 *       server.properties} are formatted with it ({@code kafka-storage format}, in this JVM to save
 *       a JVM start). A non-zero result of the format step is this JVM's exit code.
 *   <li>Standard input is the parent's lifeline: the parent keeps the pipe open and never writes.
 *       End of input (the parent exited or was killed) exits this JVM through Kafka's shutdown
 *       hook; should that hook hang, the JVM halts {@value #HALT_AFTER_SECONDS} s later.
 *   <li>The broker's jars are not on the parent's class path; this class uses the JDK only and
 *       reaches Kafka reflectively, so it compiles without them.
 * </ol>
 */
public final class BrokerMain {

    static final int HALT_AFTER_SECONDS = 15;

    private BrokerMain() {}

    public static void main(String[] args) throws Throwable {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain CLUSTER_ID server.properties");
            System.exit(2);
        }
        String clusterId = args[0];
        String serverProperties = args[1];
        exitWhenParentDies(System.in);

        int formatted =
                (int)
                        invoke(
                                "kafka.tools.StorageTool",
                                "execute",
                                new Class<?>[] {String[].class, PrintStream.class},
                                new String[] {"format", "-t", clusterId, "-c", serverProperties},
                                new PrintStream(System.out, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            System.err.println("kafka-storage format failed with exit code " + formatted);
            System.exit(formatted);
        }
        invoke(
                "kafka.Kafka",
                "main",
                new Class<?>[] {String[].class},
                (Object) new String[] {serverProperties});
    }

    private static Object invoke(String className, String method, Class<?>[] types, Object... args)
            throws Throwable {
        Method m = Class.forName(className).getMethod(method, types);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void exitWhenParentDies(InputStream lifeline) {
        Thread watchdog =
                new Thread(
                        () -> {
                            try {
                                while (lifeline.read() >= 0) {
                                    // the parent never writes; anything read is ignored
                                }
                            } catch (IOException e) {
                                // a broken pipe means the same as end of input
                            }
                            Thread halt =
                                    new Thread(
                                            () -> {
                                                sleepSeconds(HALT_AFTER_SECONDS);
                                                Runtime.getRuntime().halt(1);
                                            },
                                            "broker-halt");
                            halt.setDaemon(true);
                            halt.start();
                            System.exit(0);
                        },
                        "broker-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void sleepSeconds(int seconds) {
        try {
            TimeUnit.SECONDS.sleep(seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
