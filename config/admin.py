from django.contrib import admin
from django.core.exceptions import PermissionDenied


class OfficeAdminSite(admin.AdminSite):
    """The office's admin. A logged-in user without admin rights gets 403, not a login form."""

    site_header = "述职评议工作系统 · 办公室管理"
    site_title = "述职评议工作系统"
    index_title = "评议工作管理"

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied("您没有权限进入办公室管理后台。")
        return super().login(request, extra_context)
