// A feature phone in the browser. It plays the part of an Africa's Talking aggregator: every hop is
// a real POST to /ussd/africastalking with all inputs so far joined by '*'.
(function () {
  const screen = document.getElementById('screen');
  const entry = document.getElementById('entry');
  const msisdnInput = document.getElementById('msisdn');
  const smsList = document.getElementById('sms');
  let session = null; // { id, serviceCode, inputs: [] }

  function msisdn() {
    const raw = msisdnInput.value.replace(/\s+/g, '');
    return raw.startsWith('0') ? '+233' + raw.substring(1) : raw;
  }

  async function hop(text) {
    const body = new URLSearchParams({
      sessionId: session.id, serviceCode: session.serviceCode, phoneNumber: msisdn(),
      networkCode: '', text: text });
    const response = await fetch('/ussd/africastalking', { method: 'POST', body: body });
    const reply = await response.text();
    if (reply.startsWith('CON ')) {
      screen.textContent = reply.substring(4);
    } else {
      screen.textContent = reply.startsWith('END ') ? reply.substring(4) : 'Connection problem or invalid MMI code.';
      session = null;
    }
  }

  async function send() {
    const typed = entry.value.trim();
    entry.value = '';
    if (!session) {
      const dial = /^\*(\d+(?:\*\d+)*)#$/.exec(typed);
      if (!dial) { screen.textContent = 'Dial a code like *713*44#'; return; }
      session = { id: 'sim-' + Date.now() + '-' + Math.floor(Math.random() * 1e6), serviceCode: typed, inputs: [] };
      await hop('');
      return;
    }
    session.inputs.push(typed);
    await hop(session.inputs.join('*'));
  }

  async function refreshInbox() {
    try {
      const response = await fetch('/simulator/api/sms?msisdn=' + encodeURIComponent(msisdn()));
      if (!response.ok) return;
      const messages = await response.json();
      smsList.replaceChildren(...messages.map(m => {
        const li = document.createElement('li');
        li.textContent = m.from + ': ' + m.text;
        return li;
      }));
    } catch (e) { /* the next poll tries again */ }
  }

  document.querySelectorAll('.keys button').forEach(b =>
    b.addEventListener('click', () => { entry.value += b.dataset.key; entry.focus(); }));
  document.getElementById('send').addEventListener('click', send);
  entry.addEventListener('keydown', e => { if (e.key === 'Enter') send(); });
  document.getElementById('clear').addEventListener('click', () => { entry.value = entry.value.slice(0, -1); });
  document.getElementById('hangup').addEventListener('click', () => { session = null; screen.textContent = 'Call ended.'; });
  document.getElementById('sms-form').addEventListener('submit', async e => {
    e.preventDefault();
    const text = document.getElementById('sms-text').value;
    const response = await fetch('/simulator/api/sms', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: msisdn(), text: text }) });
    document.getElementById('sms-status').textContent = response.ok ? 'Sent.' : 'Not sent (' + response.status + ').';
  });
  msisdnInput.addEventListener('change', refreshInbox);
  setInterval(refreshInbox, 1500);
  refreshInbox();
})();
