package org.assemblypay.gateway.health;

/** One dependency the node needs before it should take traffic (database, session store, SMSC). */
public interface ReadinessCheck {

  /** The name shown in {@code /health/ready}. */
  String name();

  /**
   * Checks the dependency; may block briefly (it runs on a worker thread with a deadline).
   *
   * @return a short, secret-free description of the state
   * @throws Exception when the dependency is not usable
   */
  String check() throws Exception;
}
