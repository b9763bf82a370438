import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Launcher starts DynamoDB Local listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local always binds 0.0.0.0 and has no option to change that. This class
 * builds the server exactly like the stock ServerRunner does (from the same command line
 * arguments), then reaches into the private Jetty server it wraps and sets the host of
 * every connector to 127.0.0.1 before starting it.
 *
 * <p>Extra behaviour, for the Go package ddblocal that embeds this file:
 * <ul>
 *   <li>"-port 0" asks the operating system for a free port; the real port is reported
 *       in the ready line below.</li>
 *   <li>Once listening it prints one line "ddblocal-launcher: listening on HOST:PORT".</li>
 *   <li>The JVM exits when standard input reaches end of file, so it dies together with
 *       the process that started it (whose end closes the pipe), even after a SIGKILL.</li>
 *   <li>Any failure exits with status 1 instead of leaving a half-started JVM behind.</li>
 * </ul>
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final String READY_PREFIX = "ddblocal-launcher: listening on ";
    /** Any valid port, used only to get "-port 0" past DynamoDB Local's own 1..65535 check. */
    private static final String PLACEHOLDER_PORT = "8000";

    private Launcher() {}

    public static void main(String[] args) {
        exitOnStdinEOF();
        try {
            run(args);
        } catch (Throwable t) {
            System.err.println("ddblocal-launcher: failed to start DynamoDB Local: " + t);
            t.printStackTrace();
            System.err.flush();
            // Jetty may already have started non-daemon threads: exit explicitly.
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        boolean ephemeralPort = false;
        String[] cliArgs = args.clone();
        for (int i = 0; i + 1 < cliArgs.length; i++) {
            if (cliArgs[i].equals("-port") && cliArgs[i + 1].equals("0")) {
                cliArgs[i + 1] = PLACEHOLDER_PORT;
                ephemeralPort = true;
                System.out.println("ddblocal-launcher: -port 0: the OS picks the port, ignore the \"Port:\" below");
            }
        }

        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(cliArgs);
        Server jetty = jettyServerOf(proxy);

        List<ServerConnector> connectors = new ArrayList<>();
        for (Connector c : jetty.getConnectors()) {
            if (!(c instanceof ServerConnector)) {
                throw new IllegalStateException("unexpected Jetty connector type " + c.getClass().getName()
                        + ": cannot restrict it to " + HOST);
            }
            connectors.add((ServerConnector) c);
        }
        if (connectors.isEmpty()) {
            throw new IllegalStateException("the Jetty server of DynamoDB Local has no connectors");
        }
        for (ServerConnector c : connectors) {
            c.setHost(HOST);
            if (ephemeralPort) {
                c.setPort(0);
            }
        }

        // Like DynamoDBProxyServer.safeStart: start Jetty and let bind errors propagate
        // (DynamoDBProxyServer.start swallows them and only prints a message).
        jetty.start();
        if (!jetty.isStarted()) {
            throw new IllegalStateException("Jetty did not start");
        }

        // Check what was really bound, not just what was asked for.
        StringBuilder listening = new StringBuilder();
        for (ServerConnector c : connectors) {
            Object transport = c.getTransport();
            if (!(transport instanceof ServerSocketChannel)) {
                throw new IllegalStateException("connector is not bound: transport " + transport);
            }
            SocketAddress addr = ((ServerSocketChannel) transport).getLocalAddress();
            if (!(addr instanceof InetSocketAddress) || !((InetSocketAddress) addr).getAddress().isLoopbackAddress()) {
                throw new IllegalStateException("DynamoDB Local is bound to " + addr + ", not to loopback");
            }
            if (listening.length() > 0) {
                listening.append(' ');
            }
            listening.append(HOST).append(':').append(c.getLocalPort());
        }
        System.out.println(READY_PREFIX + listening);
        System.out.flush();
    }

    /** Returns the private Jetty server wrapped by DynamoDBProxyServer. */
    private static Server jettyServerOf(DynamoDBProxyServer proxy) throws IllegalAccessException {
        Field field = null;
        try {
            field = DynamoDBProxyServer.class.getDeclaredField("server");
        } catch (NoSuchFieldException e) {
            // Renamed in some version: fall back to the only field of type Server.
            for (Field f : DynamoDBProxyServer.class.getDeclaredFields()) {
                if (Server.class.isAssignableFrom(f.getType())) {
                    if (field != null) {
                        throw new IllegalStateException("DynamoDBProxyServer has several Jetty Server fields");
                    }
                    field = f;
                }
            }
        }
        if (field == null || !Server.class.isAssignableFrom(field.getType())) {
            throw new IllegalStateException("cannot find the Jetty Server inside DynamoDBProxyServer");
        }
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        if (server == null) {
            throw new IllegalStateException("DynamoDBProxyServer has no Jetty Server");
        }
        return server;
    }

    /** Starts a daemon thread that exits the JVM once standard input is closed. */
    private static void exitOnStdinEOF() {
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                while (in.read(buf) >= 0) {
                    // Discard anything written; only end of file matters.
                }
            } catch (IOException e) {
                // A broken stdin means the parent is gone as well.
            }
            System.exit(0);
        }, "ddblocal-stdin-watch");
        t.setDaemon(true);
        t.start();
    }
}
