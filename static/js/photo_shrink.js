// An activity's photo, shrunk on the phone before it is sent: at most 1024 px on the longer side,
// JPEG at 70%, so a 5 MB camera photo goes over 3G as some 150 KB. Without this script (or where
// the browser cannot do it) the full photo is sent and the server shrinks it the same way.
(function () {
  "use strict";
  var input = document.querySelector("input[type=file][data-shrink]");
  if (!input || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) return;
  var side = parseInt(input.dataset.shrink, 10);
  var note = document.querySelector(".photo-size");

  input.addEventListener("change", function () {
    var file = input.files[0];
    if (!file || !/^image\//.test(file.type)) return;
    var image = new Image();
    var reader = new FileReader();
    image.onload = function () {
      var scale = Math.min(1, side / Math.max(image.width, image.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(image.width * scale);
      canvas.height = Math.round(image.height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob || blob.size >= file.size) return;
        var small = new DataTransfer();
        small.items.add(new File([blob], "foto.jpg", { type: "image/jpeg" }));
        input.files = small.files;
        if (note) {
          note.textContent = note.dataset.said.replace("%s", Math.round(blob.size / 1024));
          note.hidden = false;
        }
      }, "image/jpeg", 0.7);
    };
    // A data: URL, which the page's Content-Security-Policy allows for images (blob: it does not).
    reader.onload = function () { image.src = reader.result; };
    image.onerror = reader.onerror = function () {};  // the full photo goes; the server shrinks it
    reader.readAsDataURL(file);
  });
})();
