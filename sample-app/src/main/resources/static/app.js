// The chat page: one EventSource per question, closed on [DONE], on error, and on Stop, so the
// browser never reconnects on its own (which would ask the model again). The resumable mode is the
// exception: there the answer runs on the server, EventSource's own reconnect continues it after
// its Last-Event-ID, and a reloaded page reads it again from the start (lastEventId=<stream>.0).
(function () {
  const $ = (id) => document.getElementById(id);
  const RESUME_KEY = 'dedalus.resumable';
  let source = null;
  let abort = null;
  let finished = false;
  let toolCalls = [];
  let resumableStream = null;
  let leaving = false;
  // Leaving the page closes its EventSource; that is no failure, and a resumable answer must stay
  // remembered for the reloaded page.
  window.addEventListener('pagehide', () => { leaving = true; });
  window.addEventListener('beforeunload', () => { leaving = true; });

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
    if (resumableStream) {
      sessionStorage.removeItem(RESUME_KEY);
      resumableStream = null;
    }
    if (source) {
      source.close();
      source = null;
    }
    if (abort) {
      abort.abort();
      abort = null;
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

  function fail(text, status) {
    $('error').textContent = 'Sorry, something went wrong: ' + text;
    $('error').hidden = false;
    end(status);
  }

  // The official openai SDK, bundled in this app (vendor/openai.mjs), streaming through the
  // app's OpenAI-compatible endpoint: the Dedalus key never reaches the browser.
  async function streamWithSdk(prompt, model) {
    const { default: OpenAI } = await import('./vendor/openai.mjs');
    const client = new OpenAI({ baseURL: new URL('dedalus/v1', window.location.href).href,
      apiKey: 'unused: the server holds the Dedalus key', dangerouslyAllowBrowser: true, maxRetries: 0 });
    const controller = new AbortController();
    abort = controller;
    try {
      const stream = await client.chat.completions.create({
        model: model || 'openai/gpt-5-nano',
        messages: [
          { role: 'system', content: 'You are Stephen Dedalus. Respond in morose Joycean malaise.' },
          { role: 'user', content: prompt },
        ],
        stream: true,
        stream_options: { include_usage: true },
      }, { signal: controller.signal });
      for await (const chunk of stream) {
        onChunk(chunk);
      }
      if (abort === controller) {
        abort = null;
        end('Done.');
      }
    }
    catch (error) {
      if (!controller.signal.aborted) {
        abort = null;
        fail(error.message || 'The model could not answer.', 'Failed.');
      }
    }
  }

  $('ask').addEventListener('submit', (event) => {
    event.preventDefault();
    if (source || abort) { return; }
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
    if (mode === 'sdk') {
      streamWithSdk(prompt, $('model').value.trim());
      return;
    }
    listen('api/chat/' + mode + '?' + params, mode === 'resumable');
  });

  $('stop').addEventListener('click', () => {
    if (resumableStream) {
      // Closing the page's connection alone would leave the answer running for the grace period.
      fetch('api/chat/resumable/' + encodeURIComponent(resumableStream), { method: 'DELETE' });
    }
    end('Stopped.');
  });

  function listen(url, resumable) {
    source = new EventSource(url);
    source.onmessage = (message) => {
      if (resumable && message.lastEventId) {
        const streamId = message.lastEventId.substring(0, message.lastEventId.lastIndexOf('.'));
        if (resumableStream !== streamId) {
          resumableStream = streamId;
          sessionStorage.setItem(RESUME_KEY, JSON.stringify({ stream: streamId, prompt: $('prompt').value }));
        }
      }
      if (message.data === '[DONE]') {
        finished = true;
        end('Done.');
        return;
      }
      onChunk(JSON.parse(message.data));
    };
    source.addEventListener('error', (message) => {
      if (leaving) {
        return;
      }
      if (message.data) {
        let text = 'The model could not answer.';
        try { text = JSON.parse(message.data).error.message || text; } catch (ignored) { /* keep the default */ }
        $('error').textContent = 'Sorry, something went wrong: ' + text;
        $('error').hidden = false;
        end('Failed.');
      }
      else if (resumable && source && source.readyState === EventSource.CONNECTING) {
        // The browser reconnects by itself with Last-Event-ID; the answer continues where it stopped.
        $('status').textContent = 'Reconnecting…';
      }
      else if (!finished && source) {
        $('error').textContent = 'Sorry, the connection was lost. Please try again.';
        $('error').hidden = false;
        end('Connection lost.');
      }
    });
    source.onopen = () => { $('status').textContent = 'Streaming…'; };
  }

  // A page reloaded mid-answer reads the same answer again from its start; the model is not asked again.
  const saved = sessionStorage.getItem(RESUME_KEY);
  if (saved) {
    const resume = JSON.parse(saved);
    resumableStream = resume.stream;
    $('prompt').value = resume.prompt;
    document.querySelector('input[name="mode"][value="resumable"]').checked = true;
    setRunning(true);
    $('status').textContent = 'Resuming…';
    listen('api/chat/resumable?lastEventId=' + encodeURIComponent(resume.stream + '.0'), true);
  }
}());
