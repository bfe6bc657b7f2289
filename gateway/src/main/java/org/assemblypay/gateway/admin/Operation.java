package org.assemblypay.gateway.admin;

/** The ledger work behind one OpenAPI operation; runs on a worker thread. */
@FunctionalInterface
interface Operation {
  Replies.Reply handle(Call call) throws Exception;
}
