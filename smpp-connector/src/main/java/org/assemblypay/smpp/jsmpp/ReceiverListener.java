package org.assemblypay.smpp.jsmpp;

import org.assemblypay.smpp.SmscConnectionConfig;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;

/** Hands jSMPP's incoming PDUs of one connection to the {@link InboundReceiver}. */
final class ReceiverListener implements MessageReceiverListener {

  private static final int ESME_RINVCMDID = 0x03;

  private final SmscConnectionConfig connection;
  private final InboundReceiver receiver;

  ReceiverListener(SmscConnectionConfig connection, InboundReceiver receiver) {
    this.connection = connection;
    this.receiver = receiver;
  }

  @Override
  public void onAcceptDeliverSm(DeliverSm deliverSm) throws ProcessRequestException {
    receiver.onDeliverSm(connection, deliverSm);
  }

  @Override
  public void onAcceptAlertNotification(AlertNotification alertNotification) {
    // Nothing to do: the gateway does not use SMSC alerts.
  }

  @Override
  public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
    throw new ProcessRequestException("data_sm is not supported", ESME_RINVCMDID);
  }
}
