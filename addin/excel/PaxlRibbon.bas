Attribute VB_Name = "PaxlRibbon"
' The one callback of the "Patient Accounts" ribbon tab (customUI.xml): every button's tag names
' the Python macro to run, so buttons come and go in the XML and this module never changes.
' RunPython is the xlwings module of this add-in; Python runs on the active workbook.
Option Explicit

Public Sub OnAction(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open a patient accounts workbook first.", vbExclamation, "Patient Accounts"
        Exit Sub
    End If
    If Not control.Tag Like "[a-z]*" Or control.Tag Like "*[!a-z_]*" Then
        MsgBox "This button has no macro (tag """ & control.Tag & """).", vbCritical, "Patient Accounts"
        Exit Sub
    End If
    RunPython "import macros; macros." & control.Tag & "()"
End Sub
