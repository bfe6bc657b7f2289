package org.assemblypay.session.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A Lua script run by digest, sent in full only when the server does not know it yet. */
final class LuaScript {

  private final String source;
  private final String sha1;

  LuaScript(String source) {
    this.source = source;
    try {
      this.sha1 =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1")
                      .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }

  /** The digest the server knows the script by. */
  String sha1() {
    return sha1;
  }

  <T> CompletionStage<T> run(
      RedisClusterAsyncCommands<String, String> commands,
      ScriptOutputType type,
      String key,
      String... args) {
    return runOn(commands, type, new String[] {key}, args);
  }

  /** Runs with several keys (all in one Cluster slot, or on a standalone server). */
  <T> CompletionStage<T> runOn(
      RedisClusterAsyncCommands<String, String> commands,
      ScriptOutputType type,
      String[] keys,
      String... args) {
    CompletionStage<T> bySha = commands.<T>evalsha(sha1, type, keys, args);
    return bySha
        .handle(
            (value, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(value);
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause != null
                  && cause.getMessage() != null
                  && cause.getMessage().startsWith("NOSCRIPT")) {
                return commands.<T>eval(source, type, keys, args);
              }
              return CompletableFuture.<T>failedFuture(cause == null ? failure : cause);
            })
        .thenCompose(stage -> stage);
  }
}
