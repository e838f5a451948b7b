// A subject's chip opens its opinions.
document.querySelectorAll('nav a[href^="#opinions-"]').forEach(function (a) {
  a.addEventListener("click", function () {
    const target = document.querySelector(a.getAttribute("href"));
    if (target) target.open = true;
  });
});
