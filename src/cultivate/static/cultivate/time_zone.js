// Fill the hidden inputs marked data-from-browser="time-zone" with the browser's IANA time
// zone (e.g. Europe/Paris), so a new account reads times where its person lives.
document.querySelectorAll('input[data-from-browser="time-zone"]').forEach(function (input) {
  try {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    input.value = "";
  }
});
