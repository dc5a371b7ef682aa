package admin

// auditViews are the templates of this area of the console.
var auditViews = []string{}

// auditPages are this area's pages of the console.
func (s *Server) auditPages() []route {
	return nil
}
