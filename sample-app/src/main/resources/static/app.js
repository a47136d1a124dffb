// The chat page: one EventSource per question, closed on [DONE], on error, and on Stop, so the
// browser never reconnects on its own (which would ask the model again).
(function () {
  const $ = (id) => document.getElementById(id);
  let source = null;
  let finished = false;
  let toolCalls = [];

  fetch('api/info').then((r) => r.json()).then((info) => {
    if (info.simulated) {
      $('banner').textContent = 'Simulated model (' + info.model + '): no API key is configured, so answers come '
        + 'from a script in this app. Start it with --dedalus.api-key=... to talk to the real Dedalus API.';
      $('banner').hidden = false;
    }
  });

  function setRunning(running) {
    $('send').disabled = running;
    $('stop').disabled = !running;
  }

  function end(status) {
    if (source) {
      source.close();
      source = null;
    }
    setRunning(false);
    $('status').textContent = status;
  }

  function showTools() {
    $('tools').innerHTML = '';
    toolCalls.forEach((call) => {
      const item = document.createElement('li');
      item.textContent = 'The model asked to call ' + call.name + '(' + call.arguments + ')';
      $('tools').appendChild(item);
    });
  }

  function onChunk(chunk) {
    (chunk.choices || []).forEach((choice) => {
      const delta = choice.delta || {};
      if (delta.content) {
        $('answer').textContent += delta.content;
      }
      if (delta.refusal) {
        $('answer').textContent += delta.refusal;
      }
      (delta.tool_calls || []).forEach((piece) => {
        const call = toolCalls[piece.index] || (toolCalls[piece.index] = { name: '', arguments: '' });
        if (piece.function && piece.function.name) { call.name = piece.function.name; }
        if (piece.function && piece.function.arguments) { call.arguments += piece.function.arguments; }
      });
      if (choice.finish_reason) {
        $('finish').textContent = choice.finish_reason;
      }
    });
    if (toolCalls.length) { showTools(); }
    if (chunk.usage) {
      $('usage').textContent = chunk.usage.prompt_tokens + ' prompt + ' + chunk.usage.completion_tokens
        + ' completion = ' + chunk.usage.total_tokens + ' tokens';
    }
  }

  $('ask').addEventListener('submit', (event) => {
    event.preventDefault();
    if (source) { return; }
    const prompt = $('prompt').value.trim();
    if (!prompt) { return; }
    const mode = document.querySelector('input[name="mode"]:checked').value;
    const params = new URLSearchParams({ prompt: prompt });
    if ($('model').value.trim()) { params.set('model', $('model').value.trim()); }
    $('answer').textContent = '';
    $('error').hidden = true;
    $('finish').textContent = '–';
    $('usage').textContent = '–';
    toolCalls = [];
    showTools();
    finished = false;
    setRunning(true);
    $('status').textContent = 'Streaming…';
    source = new EventSource('api/chat/' + mode + '?' + params);
    source.onmessage = (message) => {
      if (message.data === '[DONE]') {
        finished = true;
        end('Done.');
        return;
      }
      onChunk(JSON.parse(message.data));
    };
    source.addEventListener('error', (message) => {
      if (message.data) {
        let text = 'The model could not answer.';
        try { text = JSON.parse(message.data).error.message || text; } catch (ignored) { /* keep the default */ }
        $('error').textContent = 'Sorry, something went wrong: ' + text;
        $('error').hidden = false;
        end('Failed.');
      }
      else if (!finished && source) {
        $('error').textContent = 'Sorry, the connection was lost. Please try again.';
        $('error').hidden = false;
        end('Connection lost.');
      }
    });
  });

  $('stop').addEventListener('click', () => end('Stopped.'));
}());
