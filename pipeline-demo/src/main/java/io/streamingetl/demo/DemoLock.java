package io.streamingetl.demo;

import io.streamingetl.localstack.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * One demo per work directory: an OS file lock on {@code <work directory>/demo.lock}, held for the demo's
 * life and released by the OS however the demo ends (kill -9 included), so a stale lock cannot exist. The
 * file says who holds it, for the demo that is refused.
 */
final class DemoLock implements AutoCloseable {
    static final String FILE = "demo.lock";

    /** Another demo holds the work directory; the message names it. */
    static final class HeldElsewhere extends Exception {
        HeldElsewhere(String message) {
            super(message);
        }
    }

    private final Path workDir;
    private final FileChannel channel;
    private final FileLock lock;

    private DemoLock(Path workDir, FileChannel channel, FileLock lock) {
        this.workDir = workDir;
        this.channel = channel;
        this.lock = lock;
    }

    static DemoLock acquire(Path workDir) throws HeldElsewhere {
        Path file = workDir.resolve(FILE);
        try {
            Files.createDirectories(workDir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                String holder = Files.readString(file).trim();
                throw new HeldElsewhere("another demo is running in " + workDir + " ("
                        + (holder.isEmpty() ? "starting" : holder) + "). Stop it first (Ctrl-C in its terminal, or kill"
                        + " its pid), or run this one with another DEMO_DIR and other DEMO_*_PORT settings");
            }
            return new DemoLock(workDir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Says who holds the lock: this process's pid and what it listens on. */
    void describe(String ports) {
        byte[] text = ("pid " + ProcessHandle.current().pid() + ", ports " + ports + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text), 0);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    /** Empties the work directory, but for the lock itself: a clean start. */
    void cleanWorkDirectory() {
        try (Stream<Path> children = Files.list(workDir)) {
            children.filter(p -> !p.getFileName().toString().equals(FILE)).forEach(Directories::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot empty " + workDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
